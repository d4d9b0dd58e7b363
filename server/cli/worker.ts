import 'server-only';
import { closeDb, getDb, openDb } from '@/db';
import { DataDirLockedError } from '@/db/lock';
import { recoverAfterOpen } from '@/server/recover';
import { startVtWorker } from '@/server/services/virustotal';
import { CliError, type Reporter } from './output';

/**
 * `proclens worker`: a VirusTotal lookup worker on its own, for hosted deployments (several can
 * share one Postgres and one quota). Runs until SIGINT/SIGTERM.
 */
export async function runWorker(report: Reporter): Promise<void> {
  let handle;
  try {
    handle = await openDb({ holder: 'cli' });
  } catch (e) {
    if (e instanceof DataDirLockedError && e.holder.kind === 'server') {
      throw new CliError(
        'conflict',
        'A ProcLens server holds this data directory and runs its own worker; no separate worker is needed.',
      );
    }
    throw e;
  }
  await recoverAfterOpen(handle);
  let done = 0;
  const worker = startVtWorker({
    db: getDb,
    onJob: (sha256, outcome) => {
      if (outcome === 'skipped') return;
      done++;
      report.progress(`${sha256.slice(0, 12)}… ${outcome} (${done} this session)`);
    },
  });
  report.progress(`worker ${worker.owner} started; Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  report.progress('stopping');
  await worker.stop();
  await closeDb();
}
