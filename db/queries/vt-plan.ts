import { sql } from 'drizzle-orm';
import type { Db } from '../index';
import type { Freshness } from '@/domain/vt-cache';
import { QUEUE_PRIORITY } from '@/domain/vt-queue';
import { executables, runProcesses, runs, vtJobHosts, vtJobs, vtVerdicts } from '../schema';
import { heldSql, hostCountSql, lookupIdSql, matchesIdSql, packageVerifiedSql, runRankSql } from '../rules/lookup';
import { freshSql, verdictColsOf } from '../rules/vt';

/**
 * Imported MD5s an executable already stored has (collected elsewhere, or resolved for an earlier
 * import) get that SHA-256 now, so they join its cached verdict and cost no request. When two
 * stored executables share an MD5 (a collision), the lowest SHA-256 is taken, deterministically.
 */
export async function resolveKnownMd5(db: Db, runId: number): Promise<void> {
  await db.execute(sql`
    update ${runProcesses} rp
    set sha256 = (select min(e.sha256) from ${executables} e where e.md5 = rp.unresolved_md5), unresolved_md5 = null
    where rp.run_id = ${runId} and rp.unresolved_md5 is not null
      and exists (select 1 from ${executables} e where e.md5 = rp.unresolved_md5)`);
}

export interface RunCheckCounts {
  /** Distinct SHA-256s of the run. */
  total: number;
  /** Of those, with a fresh answer in the cache (no request needed). */
  cached: number;
  /**
   * Lookups that go before this run's if it is checked now: what people asked for on this run's
   * host, and from every other host at most as many as this run has to look up (hosts take turns).
   */
  queued: number;
  /** Of the uncached ones, files matching their package with no badge (what the skip setting skips). */
  verifiedUncached: number;
  /** Left out of the queue because the run's host was over its daily share (an agent's snapshot). */
  held?: number;
}

/** What a check of the run would cost before it starts (the same freshness rule as the queue). */
export async function runCheckCounts(db: Db, runId: number, fresh: Freshness): Promise<RunCheckCounts> {
  const isFresh = freshSql(verdictColsOf('v'), fresh);
  const res = (await db.execute(sql`
    with h as (select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
               where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null),
    need as (select count(*)::int as n from h left join ${vtVerdicts} v on v.sha256 = h.sha256
              where not ${isFresh}),
    ahead as (select d.host_id, count(*)::int as n from ${vtJobHosts} d
                join ${vtJobs} j on j.sha256 = d.sha256 and j.status = 'queued'
               where d.priority = ${QUEUE_PRIORITY.asked} and not exists (select 1 from h where h.sha256 = d.sha256)
               group by d.host_id)
    select
      (select count(*)::int from h) as total,
      (select count(*)::int from h join ${vtVerdicts} v on v.sha256 = h.sha256 where ${isFresh}) as cached,
      (select coalesce(sum(case when a.host_id = (select host_id from ${runs} where id = ${runId}) then a.n
                                else least(a.n, (select n from need)) end), 0)::int from ahead a) as queued,
      (select count(*)::int from h left join ${vtVerdicts} v on v.sha256 = h.sha256
         where not ${isFresh}
           and ${packageVerifiedSql(runId, sql`h.sha256`)}) as "verifiedUncached",
      (select count(*)::int from h where ${heldSql(runId, sql`h.sha256`)}) as held`)) as unknown as {
    rows: RunCheckCounts[];
  };
  return res.rows[0] ?? { total: 0, cached: 0, queued: 0, verifiedUncached: 0, held: 0 };
}

export interface QueuedLookup {
  sha256: string;
  tier: number;
  hosts: number;
  integrity: string[];
  heuristics: string[];
  names: string[];
}

/**
 * The run's hashes still waiting for a lookup, in the order the queue serves its host's lookups
 * (the host's own rank as the queue holds it; other hosts take turns in between).
 */
export async function runLookupOrder(
  db: Db,
  runId: number,
  limit: number,
): Promise<{ rows: QueuedLookup[]; total: number }> {
  const res = (await db.execute(sql`
    with h as (
      select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
      join ${vtJobs} j on j.sha256 = ${lookupIdSql('rp')} and j.status = 'queued'
      where rp.run_id = ${runId}),
    k as (
      select h.sha256,
        coalesce(d.rank::int, ${runRankSql(runId, sql`h.sha256`)}) as tier,
        coalesce(d.host_count, ${hostCountSql(sql`h.sha256`)}) as hosts,
        coalesce(d.queued_at, j.created_at) as queued_at
      from h join ${vtJobs} j on j.sha256 = h.sha256
      left join ${vtJobHosts} d on d.sha256 = h.sha256 and d.host_id = (select host_id from ${runs} where id = ${runId}))
    select k.sha256, k.tier, k.hosts,
      (select coalesce(array_agg(distinct coalesce(x.integrity, 'unknown')), '{}') from ${runProcesses} x
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`k.sha256`)}) as integrity,
      (select coalesce(array_agg(distinct e.code), '{}') from ${runProcesses} x
         cross join lateral jsonb_array_elements_text(x.heuristics) as e(code)
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`k.sha256`)}) as heuristics,
      (select (array_agg(distinct x.name order by x.name))[1:5] from ${runProcesses} x
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`k.sha256`)}) as names,
      count(*) over ()::int as total
    from k
    order by k.tier, k.hosts, k.queued_at, k.sha256
    limit ${limit}`)) as unknown as { rows: Array<QueuedLookup & { total: number }> };
  return {
    rows: res.rows.map(({ total: _t, ...r }) => r),
    total: res.rows[0]?.total ?? 0,
  };
}
