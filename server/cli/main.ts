import 'server-only';
import { parseArgs, percentFlag, rejectUnknown, runIdFlag, usage } from './args';
import { CliError, consoleReporter, type Reporter } from './output';

// Each command imports its module when it runs (`await import(...)`), so `--help` loads nothing
// and `collect` never loads the VirusTotal code: a new command is one more lazily imported case.

const BOOLEANS = new Set(['json', 'no-store', 'help', 'latest']);

export async function main(argv: string[], report: Reporter = consoleReporter): Promise<number> {
  try {
    const { command, flags } = parseArgs(argv, BOOLEANS);
    if (command === null || command === 'help' || flags.has('help')) {
      report.stdout(usage());
      return command === null && !flags.has('help') ? 2 : 0;
    }
    const { getEnv } = await import('@/server/env');
    const env = getEnv();
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
        rejectUnknown(flags, ['run', 'latest', 'txt', 'json']);
        const run = flags.get('run');
        if (run !== undefined && flags.has('latest')) throw new CliError('Give either --run ID or --latest, not both.', 2);
        const txt = flags.get('txt');
        const { runCheck } = await import('./check');
        await runCheck(
          {
            runId: run === undefined ? 'latest' : runIdFlag(run),
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
      case 'config': {
        rejectUnknown(flags, []);
        report.stdout(
          JSON.stringify({
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
