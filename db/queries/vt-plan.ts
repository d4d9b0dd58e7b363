import { sql } from 'drizzle-orm';
import type { Db } from '../index';
import { QUEUE_PRIORITY } from '@/domain/vt-queue';
import { executables, runProcesses, runs, vtJobHosts, vtJobs, vtRunHeld, vtVerdicts } from '../schema';
import type { Freshness } from './vt';

/**
 * The id a process is looked up on VirusTotal by (and its verdict and job are stored under): its
 * SHA-256, or for a process imported with only an MD5, that MD5 until the lookup names the SHA-256.
 * `alias` is the SQL alias of a run_processes row.
 */
export function lookupIdSql(alias: string) {
  return sql.raw(`coalesce(${alias}.sha256, ${alias}.unresolved_md5)`);
}

/** Does the run_processes row `alias` look up by `id`? (Written as an OR so both indexes serve it.) */
export function matchesIdSql(alias: string, id: ReturnType<typeof sql>) {
  return sql`(${sql.raw(alias)}.sha256 = ${id} or ${sql.raw(alias)}.unresolved_md5 = ${id})`;
}

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

/**
 * A hash of the run that its host's share left out of the queue and nothing has asked for since:
 * no answer, no lookup queued or failed. `runId` and `sha` are SQL (or a run id).
 */
export function heldSql(runId: number | ReturnType<typeof sql>, sha: ReturnType<typeof sql>) {
  return sql`(exists (select 1 from ${vtRunHeld} x where x.run_id = ${runId} and x.sha256 = ${sha})
       and not exists (select 1 from ${vtVerdicts} xv where xv.sha256 = ${sha})
       and not exists (select 1 from ${vtJobs} xj where xj.sha256 = ${sha}))`;
}

/** What a check of the run would cost before it starts (the same freshness rule as the queue). */
export async function runCheckCounts(db: Db, runId: number, fresh: Freshness): Promise<RunCheckCounts> {
  const isFresh = sql`((v.found and v.fetched_at >= ${fresh.foundAfter}) or (not v.found and v.fetched_at >= ${fresh.notFoundAfter}))`;
  const res = (await db.execute(sql`
    with h as (select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
               where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null),
    need as (select count(*)::int as n from h left join ${vtVerdicts} v on v.sha256 = h.sha256
              where v.sha256 is null or not ${isFresh}),
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
         where (v.sha256 is null or not ${isFresh})
           and ${packageVerifiedSql(runId, sql`h.sha256`)}) as "verifiedUncached",
      (select count(*)::int from h where ${heldSql(runId, sql`h.sha256`)}) as held`)) as unknown as {
    rows: RunCheckCounts[];
  };
  return res.rows[0] ?? { total: 0, cached: 0, queued: 0, verifiedUncached: 0, held: 0 };
}

/**
 * How likely a hash is to matter, for the lookup queue's order (lower first), over the
 * run_processes rows `alias` grouped by lookup id:
 * 0 a packaged file that fails its checksum, or an unpackaged one with a heuristic badge;
 * 1 a heuristic badge, or not owned by any package; 2 not checked against a package;
 * 3 every process runs a file that matches its package's checksum (the distro's own binary: exactly
 * what packageVerifiedSql calls package-verified).
 */
export function rankCaseSql(alias: string) {
  const a = sql.raw(alias);
  return sql`(case
        when bool_or(${a}.integrity = 'modified') then 0
        when bool_or(${a}.integrity = 'not-packaged') and bool_or(jsonb_array_length(${a}.heuristics) > 0) then 0
        when bool_or(jsonb_array_length(${a}.heuristics) > 0) or bool_or(${a}.integrity = 'not-packaged') then 1
        when bool_and(coalesce(${a}.integrity, '') = 'matches') then 3
        else 2
      end)`;
}

/**
 * A hash's rank for one run's host, from that run's processes only: what a host (an agent) says
 * about a file orders its own lookups, never another host's (issue 17 item 10).
 */
export function runRankSql(runId: number | ReturnType<typeof sql>, sha: ReturnType<typeof sql>) {
  return sql`(select ${rankCaseSql('rp')} from ${runProcesses} rp where rp.run_id = ${runId} and ${matchesIdSql('rp', sha)})`;
}

/** How many hosts ran the file (fewest first within a rank: the rare ones). */
export function hostCountSql(sha: ReturnType<typeof sql>) {
  return sql`(select count(distinct r.host_id)::int from ${runProcesses} rp join ${runs} r on r.id = rp.run_id
              where ${matchesIdSql('rp', sha)})`;
}

/**
 * A hash whose every process in the run runs a file matching its dpkg package's checksum, with no
 * heuristic badge: the distro's own, unmodified binary (what the skip setting leaves out).
 */
export function packageVerifiedSql(runId: number | ReturnType<typeof sql>, sha: ReturnType<typeof sql>) {
  return sql`(not exists (select 1 from ${runProcesses} x where x.run_id = ${runId} and ${matchesIdSql('x', sha)}
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
