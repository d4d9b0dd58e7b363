import { sql } from 'drizzle-orm';
import type { Db } from '../index';
import { runProcesses, vtJobs, vtVerdicts } from '../schema';
import type { Freshness } from './vt';

export interface RunCheckCounts {
  /** Distinct SHA-256s of the run. */
  total: number;
  /** Of those, with a fresh answer in the cache (no request needed). */
  cached: number;
  /** Lookups queued for any run right now (they go first, at the same rate). */
  queued: number;
}

/** What a check of the run would cost before it starts (the same freshness rule as the queue). */
export async function runCheckCounts(db: Db, runId: number, fresh: Freshness): Promise<RunCheckCounts> {
  const res = (await db.execute(sql`
    with h as (select distinct sha256 from ${runProcesses} where run_id = ${runId} and sha256 is not null)
    select
      (select count(*)::int from h) as total,
      (select count(*)::int from h join ${vtVerdicts} v on v.sha256 = h.sha256
         where (v.found and v.fetched_at >= ${fresh.foundAfter})
            or (not v.found and v.fetched_at >= ${fresh.notFoundAfter})) as cached,
      (select count(*)::int from ${vtJobs} where status = 'queued') as queued`)) as unknown as {
    rows: RunCheckCounts[];
  };
  return res.rows[0] ?? { total: 0, cached: 0, queued: 0 };
}
