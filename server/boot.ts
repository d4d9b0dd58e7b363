import 'server-only';
import { closeDb, getDb, openDb } from '@/db';
import { DataDirLockedError } from '@/db/lock';
import { ensureLocalSecret } from './auth/local-access';
import { EnvError, getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import { recoverAfterOpen } from './recover';
import { ensureServerWorker, stopServerWorker } from './services/virustotal';
import { processSingleton } from '@/lib/singleton';

const booted = processSingleton<boolean>('booted');

function die(message: string): never {
  // Plain text on stderr: this is what a person starting the server reads.
  process.stderr.write(`\nProcLens cannot start: ${message}\n\n`);
  process.exit(1);
}

/**
 * Runs once per server process (from instrumentation.ts): validates the configuration, takes the
 * data directory, applies migrations, fails runs a crash left "running", and closes the database
 * cleanly on SIGINT/SIGTERM. A failure stops the process: a half-started server would answer 500s.
 */
export async function bootServer(): Promise<void> {
  if (booted.get()) return;
  booted.set(true);
  let env;
  try {
    env = getEnv();
  } catch (e) {
    die(e instanceof EnvError ? e.message : String(e));
  }
  if (!env.hosted && !env.localAuth) {
    process.stderr.write(
      '\nProcLens warning: PROCLENS_LOCAL_AUTH=off — every account on this machine can open the dashboard and ' +
        'its API (read every run, remove the VirusTotal key, change the settings). Unset it to require the access link.\n\n',
    );
  }
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  try {
    const handle = await openDb({ holder: 'server', url });
    await recoverAfterOpen(handle);
    if (env.VT_WORKER === 'on') ensureServerWorker(getDb);
    logger.info({ db: handle.mode, dataDir: handle.mode === 'pglite' ? env.dataDir : undefined }, 'database ready');
  } catch (e) {
    if (e instanceof DataDirLockedError) die(e.message);
    die(`the database could not be opened: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (env.localAuth) {
    // Made now, so the link `npm start` prints works from the first request.
    try {
      ensureLocalSecret(env.dataDir);
    } catch (e) {
      die(`the access token could not be stored in DATA_DIR: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(0), 5_000);
    force.unref();
    const workerStopped = Promise.race([stopServerWorker(), new Promise((r) => setTimeout(r, 2_000))]);
    void workerStopped
      .then(() => closeDb())
      .catch((e) => logger.error({ err: String(e) }, 'error while closing the database'))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
