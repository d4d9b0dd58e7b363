import 'server-only';
import { EnvError, getEnv } from '@/server/env';
import { parseArgs, percentFlag, rejectUnknown, usage } from './args';
import { runCollect } from './collect';
import { CliError, consoleReporter, type Reporter } from './output';

const BOOLEANS = new Set(['json', 'no-store', 'help']);

export async function main(argv: string[], report: Reporter = consoleReporter): Promise<number> {
  try {
    const { command, flags } = parseArgs(argv, BOOLEANS);
    if (command === null || command === 'help' || flags.has('help')) {
      report.stdout(usage());
      return command === null && !flags.has('help') ? 2 : 0;
    }
    const env = getEnv();
    switch (command) {
      case 'collect': {
        rejectUnknown(flags, ['min-memory', 'json', 'out', 'no-store']);
        const out = flags.get('out');
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
          }),
        );
        return 0;
      }
      default:
        throw new CliError(`Unknown command "${command}". Run "proclens help".`, 2);
    }
  } catch (e) {
    if (e instanceof CliError || e instanceof EnvError) {
      process.stderr.write(`proclens: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 2;
    }
    process.stderr.write(`proclens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
