import 'server-only';
import { parseArgs, percentFlag, rejectUnknown, runIdFlag, usage, type ParsedArgs } from './args';
import { CliError, consoleReporter, type Reporter } from './output';

// Each command imports its module when it runs (`await import(...)`), so `--help` loads nothing
// and `collect` never loads the VirusTotal code: a new command is one more lazily imported case.

const BOOLEANS = new Set(['json', 'no-store', 'help', 'latest', 'once']);

const str = (v: string | true | undefined): string | null => (typeof v === 'string' ? v : null);

function noSubcommand(subcommand: string | null, operand: string | null = null): void {
  const extra = subcommand ?? operand;
  if (extra !== null) throw new CliError(`Unexpected argument "${extra}".`, 2);
}

function requireFlag(flags: ParsedArgs['flags'], name: string, example: string): string {
  const v = str(flags.get(name));
  if (v === null || v.trim() === '') throw new CliError(`--${name} is required, e.g. --${name} ${example}.`, 2);
  return v.trim();
}

/**
 * The hosted-mode commands (issue 11). Each imports its module only when run, so `agent` never
 * loads the database driver and the other commands pay nothing for these.
 */
async function hostedCommand(p: ParsedArgs, report: Reporter): Promise<number | null> {
  const { command, subcommand, operand, flags } = p;
  if (command !== 'token' || (subcommand !== 'revoke' && subcommand !== 'reassign')) noSubcommand(null, operand);
  switch (command) {
    case 'agent': {
      noSubcommand(subcommand);
      rejectUnknown(flags, ['server', 'token', 'interval', 'min-memory', 'host-name', 'once']);
      const { runAgent, parseInterval } = await import('./agent');
      const { getEnv } = await import('@/lib/env');
      const token = str(flags.get('token')) ?? getEnv().PROCLENS_AGENT_TOKEN ?? null;
      if (!token) throw new CliError('--token is required (or set PROCLENS_AGENT_TOKEN).', 2);
      const hostName = str(flags.get('host-name'));
      if (hostName !== null && !/^[^\s\u0000-\u001f]{1,253}$/.test(hostName))
        throw new CliError('--host-name must be 1–253 characters without spaces.', 2);
      await runAgent(
        {
          server: requireFlag(flags, 'server', 'https://proclens.example.org'),
          token,
          intervalMs: parseInterval(flags.get('interval')),
          minMemoryPercent: percentFlag(flags.get('min-memory'), 'min-memory'),
          hostName,
          once: flags.has('once'),
        },
        report,
      );
      return 0;
    }
    case 'token': {
      const t = await import('./hosted');
      if (subcommand === 'create') {
        rejectUnknown(flags, ['name']);
        await t.runTokenCreate(requireFlag(flags, 'name', 'web-servers'), report);
      } else if (subcommand === 'list') {
        rejectUnknown(flags, ['json']);
        await t.runTokenList(flags.has('json'), report);
      } else if (subcommand === 'revoke') {
        rejectUnknown(flags, ['name']);
        // `token revoke NAME`, or `--name NAME` like create.
        const name = operand ?? str(flags.get('name'));
        if (!name) throw new CliError('Give the token to revoke: proclens token revoke NAME.', 2);
        await t.runTokenRevoke(name, report);
      } else if (subcommand === 'reassign') {
        rejectUnknown(flags, ['name', 'to']);
        const name = operand ?? str(flags.get('name'));
        if (!name) throw new CliError('Give the token to re-assign: proclens token reassign NAME --to EMAIL.', 2);
        await t.runTokenReassign(name, requireFlag(flags, 'to', 'ana@example.org'), report);
      } else {
        throw new CliError(
          'Use: proclens token create --name NAME | token list [--json] | token revoke NAME | token reassign NAME --to EMAIL.',
          2,
        );
      }
      return 0;
    }
    case 'admin': {
      if (subcommand !== 'create-user')
        throw new CliError('Use: proclens admin create-user --email E --role admin|analyst|viewer.', 2);
      rejectUnknown(flags, ['email', 'role', 'name']);
      const { runCreateUser } = await import('./hosted');
      await runCreateUser(
        {
          email: requireFlag(flags, 'email', 'ana@example.org'),
          role: requireFlag(flags, 'role', 'analyst'),
          name: str(flags.get('name')),
        },
        report,
      );
      return 0;
    }
    case 'hosts': {
      noSubcommand(subcommand);
      rejectUnknown(flags, ['json']);
      await (await import('./hosted')).runHosts(flags.has('json'), report);
      return 0;
    }
    case 'prevalence': {
      noSubcommand(subcommand);
      rejectUnknown(flags, ['max-hosts', 'json']);
      const raw = flags.get('max-hosts');
      let maxHosts: number | undefined;
      if (raw !== undefined) {
        maxHosts = typeof raw === 'string' && /^[1-9][0-9]{0,6}$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isInteger(maxHosts))
          throw new CliError('--max-hosts must be a whole number of hosts, 1 or more.', 2);
      }
      await (await import('./hosted')).runPrevalence({ maxHosts, json: flags.has('json') }, report);
      return 0;
    }
    case 'runs': {
      noSubcommand(subcommand);
      rejectUnknown(flags, ['host', 'json']);
      await (await import('./hosted')).runRuns({ host: str(flags.get('host')), json: flags.has('json') }, report);
      return 0;
    }
    default:
      return null;
  }
}

export async function main(argv: string[], report: Reporter = consoleReporter): Promise<number> {
  try {
    const parsed = parseArgs(argv, BOOLEANS);
    const { command, flags } = parsed;
    if (command === null || command === 'help' || flags.has('help')) {
      report.stdout(usage());
      return command === null && !flags.has('help') ? 2 : 0;
    }
    // A collect without the stored hash cache reads every executable: its hash workers boot (~0.1 s
    // each) while the settings and the collect code load. The pool resizes to HASH_WORKERS later.
    if (command === 'collect' && flags.has('no-store'))
      void import('@/server/services/processes/hash-pool').then(
        (m) => m.prewarmHashPool(),
        () => undefined, // the collect itself reports a broken install
      );
    const { getEnv } = await import('@/lib/env');
    const env = getEnv();
    const hosted = await hostedCommand(parsed, report);
    if (hosted !== null) return hosted;
    noSubcommand(parsed.subcommand, parsed.operand);
    switch (command) {
      case 'collect': {
        rejectUnknown(flags, ['min-memory', 'json', 'out', 'no-store']);
        const out = flags.get('out');
        const { runCollect } = await import('./collect');
        await runCollect(
          {
            minMemoryPercent: percentFlag(flags.get('min-memory'), 'min-memory'),
            json: flags.has('json'),
            outDir: typeof out === 'string' ? out : null,
            store: !flags.has('no-store'),
          },
          report,
        );
        return 0;
      }
      case 'check': {
        rejectUnknown(flags, ['run', 'latest', 'txt', 'json', 'workbook']);
        const run = flags.get('run');
        const workbook = flags.get('workbook');
        if ([run !== undefined, flags.has('latest'), workbook !== undefined].filter(Boolean).length > 1)
          throw new CliError('Give one of --run ID, --latest or --workbook FILE.', 2);
        const txt = flags.get('txt');
        const { runCheck } = await import('./check');
        await runCheck(
          {
            runId: run === undefined ? 'latest' : runIdFlag(run),
            workbook: typeof workbook === 'string' ? workbook : null,
            txtFile: typeof txt === 'string' ? txt : null,
            json: flags.has('json'),
          },
          report,
        );
        return 0;
      }
      case 'worker': {
        rejectUnknown(flags, []);
        const { runWorker } = await import('./worker');
        await runWorker(report);
        return 0;
      }
      case 'url': {
        rejectUnknown(flags, []);
        const { runUrl } = await import('./url');
        await runUrl(report);
        return 0;
      }
      case 'config': {
        rejectUnknown(flags, []);
        report.stdout(
          JSON.stringify({
            mode: env.PROCLENS_MODE,
            host: env.HOST,
            port: env.PORT,
            dataDir: env.dataDir,
            database: env.dbMode,
            hashWorkers: env.hashWorkers,
            hashMaxFileMb: env.HASH_MAX_FILE_MB,
            logLevel: env.LOG_LEVEL,
            vtBaseUrl: env.VT_BASE_URL,
            vtKeyFromEnv: env.VT_API_KEY !== undefined,
            vtWorker: env.VT_WORKER,
            publicUrl: env.PROCLENS_PUBLIC_URL ?? null,
            trustedProxies: env.trustedProxies?.entries ?? [],
            localAuth: env.hosted ? null : env.PROCLENS_LOCAL_AUTH,
            keyEncryption: env.PROCLENS_SECRET ? 'aes-256-gcm' : 'none',
          }),
        );
        return 0;
      }
      default:
        throw new CliError(`Unknown command "${command}". Run "proclens help".`, 2);
    }
  } catch (e) {
    // EnvError by name: importing the env module here just for instanceof would load it for --help.
    const envError = e instanceof Error && e.name === 'EnvError';
    if (e instanceof CliError || envError) {
      process.stderr.write(`proclens: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 2;
    }
    process.stderr.write(`proclens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
