import 'server-only';
import type { DbHandle } from '@/db';
import { clearLeases } from '@/db/queries/vt';
import { recoverInterruptedRuns } from './services/runs/collect-run';

/**
 * What every process that opens the database does first: fail runs a dead process left
 * "running", and give back the VirusTotal lookups it had claimed. With the embedded database the
 * opener holds the only lock, so everything left over is orphaned; on Postgres only what went
 * stale (other processes may be alive).
 */
export async function recoverAfterOpen(handle: DbHandle): Promise<void> {
  const exclusive = handle.mode === 'pglite';
  await recoverInterruptedRuns(handle.db, exclusive);
  await clearLeases(handle.db, !exclusive);
}
