import { sql } from 'drizzle-orm';
import type { Db } from '../index';
import { executables, runProcesses, vtJobs, vtVerdicts } from '../schema';
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
  /** Lookups queued for any run right now (they go first, at the same rate). */
  queued: number;
  /** Of the uncached ones, files matching their package with no badge (what the skip setting skips). */
  verifiedUncached: number;
}

/** What a check of the run would cost before it starts (the same freshness rule as the queue). */
export async function runCheckCounts(db: Db, runId: number, fresh: Freshness): Promise<RunCheckCounts> {
  const res = (await db.execute(sql`
    with h as (select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
               where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null)
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

/** The run's hashes still waiting for a lookup, in the order the queue will serve them. */
export async function runLookupOrder(
  db: Db,
  runId: number,
  limit: number,
): Promise<{ rows: QueuedLookup[]; total: number }> {
  const res = (await db.execute(sql`
    with h as (
      select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
      join ${vtJobs} j on j.sha256 = ${lookupIdSql('rp')} and j.status = 'queued'
      where rp.run_id = ${runId})
    select h.sha256, k.tier, k.hosts,
      (select coalesce(array_agg(distinct coalesce(x.integrity, 'unknown')), '{}') from ${runProcesses} x
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`h.sha256`)}) as integrity,
      (select coalesce(array_agg(distinct e.code), '{}') from ${runProcesses} x
         cross join lateral jsonb_array_elements_text(x.heuristics) as e(code)
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`h.sha256`)}) as heuristics,
      (select (array_agg(distinct x.name order by x.name))[1:5] from ${runProcesses} x
         where x.run_id = ${runId} and ${matchesIdSql('x', sql`h.sha256`)}) as names,
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
