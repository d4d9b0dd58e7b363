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
  /** Of the uncached ones, files matching their package with no badge (what the skip setting skips). */
  verifiedUncached: number;
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
      (select count(*)::int from ${vtJobs} where status = 'queued') as queued,
      (select count(*)::int from h left join ${vtVerdicts} v on v.sha256 = h.sha256
         where (v.sha256 is null or not ((v.found and v.fetched_at >= ${fresh.foundAfter})
                    or (not v.found and v.fetched_at >= ${fresh.notFoundAfter})))
           and ${packageVerifiedSql(runId, sql`h.sha256`)}) as "verifiedUncached"`)) as unknown as {
    rows: RunCheckCounts[];
  };
  return res.rows[0] ?? { total: 0, cached: 0, queued: 0, verifiedUncached: 0 };
}

/**
 * How likely a hash is to matter, for the lookup queue's order (lower first):
 * 0 a packaged file that fails its checksum, or an unpackaged one with a heuristic badge;
 * 1 a heuristic badge, or not owned by any package; 2 not checked against a package;
 * 3 every process runs a file that matches its package's checksum (the distro's own binary).
 * `hosts`: how many hosts ran it (fewest first within a tier). `sha` is the SQL of the hash.
 */
export function lookupRankSql(sha: ReturnType<typeof sql>) {
  return sql`(select
      case
        when bool_or(rp.integrity = 'modified') then 0
        when bool_or(rp.integrity = 'not-packaged') and bool_or(jsonb_array_length(rp.heuristics) > 0) then 0
        when bool_or(jsonb_array_length(rp.heuristics) > 0) or bool_or(rp.integrity = 'not-packaged') then 1
        when bool_and(coalesce(rp.integrity, '') = 'matches') then 3
        else 2
      end as tier,
      count(distinct r.host_id)::int as hosts
    from ${runProcesses} rp join runs r on r.id = rp.run_id
    where rp.sha256 = ${sha})`;
}

/**
 * A hash whose every process in the run runs a file matching its dpkg package's checksum, with no
 * heuristic badge: the distro's own, unmodified binary (what the skip setting leaves out).
 */
export function packageVerifiedSql(runId: number, sha: ReturnType<typeof sql>) {
  return sql`(not exists (select 1 from ${runProcesses} x where x.run_id = ${runId} and x.sha256 = ${sha}
                  and (x.integrity is distinct from 'matches' or jsonb_array_length(x.heuristics) > 0)))`;
}

export interface QueuedLookup {
  sha256: string;
  tier: number;
  hosts: number;
  integrity: string[];
  heuristics: string[];
  names: string[];
}

/** The run's hashes still waiting for a lookup, in the order the queue will serve them. */
export async function runLookupOrder(
  db: Db,
  runId: number,
  limit: number,
): Promise<{ rows: QueuedLookup[]; total: number }> {
  const res = (await db.execute(sql`
    with h as (
      select distinct rp.sha256 from ${runProcesses} rp
      join ${vtJobs} j on j.sha256 = rp.sha256 and j.status = 'queued'
      where rp.run_id = ${runId})
    select h.sha256, k.tier, k.hosts,
      (select coalesce(array_agg(distinct coalesce(x.integrity, 'unknown')), '{}') from ${runProcesses} x
         where x.run_id = ${runId} and x.sha256 = h.sha256) as integrity,
      (select coalesce(array_agg(distinct e.code), '{}') from ${runProcesses} x
         cross join lateral jsonb_array_elements_text(x.heuristics) as e(code)
         where x.run_id = ${runId} and x.sha256 = h.sha256) as heuristics,
      (select (array_agg(distinct x.name order by x.name))[1:5] from ${runProcesses} x
         where x.run_id = ${runId} and x.sha256 = h.sha256) as names,
      count(*) over ()::int as total
    from h cross join lateral ${lookupRankSql(sql`h.sha256`)} k
    join ${vtJobs} j on j.sha256 = h.sha256
    order by k.tier, k.hosts, j.created_at, h.sha256
    limit ${limit}`)) as unknown as { rows: Array<QueuedLookup & { total: number }> };
  return {
    rows: res.rows.map(({ total: _t, ...r }) => r),
    total: res.rows[0]?.total ?? 0,
  };
}
