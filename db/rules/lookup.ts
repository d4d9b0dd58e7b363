import { sql, type SQL } from 'drizzle-orm';
import { LOOKUP_RANK } from '@/domain/vt-queue';
import { runProcesses, runs, vtJobs, vtRunHeld, vtVerdicts } from '../schema';

/**
 * The lookup queue's rules in SQL: which id a process is looked up by, the host's own order
 * (domain/vt-queue.ts `lookupRank`), package-verified (`packageVerified`) and held. `alias` is the
 * SQL alias of a run_processes row (a raw alias: never user input); `sha` and `runId` are SQL (or
 * a run id).
 */

type SqlValue = SQL | number;

/**
 * The id a process is looked up on VirusTotal by (and its verdict and job are stored under): its
 * SHA-256, or for a process imported with only an MD5, that MD5 until the lookup names the SHA-256.
 */
export function lookupIdSql(alias: string): SQL {
  return sql.raw(`coalesce(${alias}.sha256, ${alias}.unresolved_md5)`);
}

/** Does the run_processes row `alias` look up by `id`? (Written as an OR so both indexes serve it.) */
export function matchesIdSql(alias: string, id: SQL): SQL {
  return sql`(${sql.raw(alias)}.sha256 = ${id} or ${sql.raw(alias)}.unresolved_md5 = ${id})`;
}

/** `processPackageVerified`: the file matches its package's checksum and carries no badge (never null). */
function processVerifiedSql(alias: string): SQL<boolean> {
  const a = sql.raw(alias);
  return sql<boolean>`(${a}.integrity is not distinct from 'matches' and jsonb_array_length(${a}.heuristics) = 0)`;
}

/**
 * `lookupRank` over the run_processes rows `alias` grouped by lookup id (an aggregate). Rank
 * `LOOKUP_RANK.last` is exactly `packageVerifiedSql` over the same rows.
 */
export function lookupRankSql(alias: string): SQL<number> {
  const a = sql.raw(alias);
  const r = (rank: number) => sql.raw(String(rank));
  return sql<number>`(case
        when bool_or(${a}.integrity = 'modified') then ${r(LOOKUP_RANK.first)}
        when bool_or(${a}.integrity = 'not-packaged') and bool_or(jsonb_array_length(${a}.heuristics) > 0) then ${r(LOOKUP_RANK.first)}
        when bool_or(jsonb_array_length(${a}.heuristics) > 0) or bool_or(${a}.integrity = 'not-packaged') then ${r(LOOKUP_RANK.early)}
        when bool_and(${processVerifiedSql(alias)}) then ${r(LOOKUP_RANK.last)}
        else ${r(LOOKUP_RANK.normal)}
      end)`;
}

/** A hash's rank for one run's host, from that run's processes only (issue 17 item 10). */
export function runRankSql(runId: SqlValue, sha: SQL): SQL<number> {
  return sql<number>`(select ${lookupRankSql('rp')} from ${runProcesses} rp where rp.run_id = ${runId} and ${matchesIdSql('rp', sha)})`;
}

/** How many hosts ran the file (fewest first within a rank: the rare ones). */
export function hostCountSql(sha: SQL): SQL<number> {
  return sql<number>`(select count(distinct r.host_id)::int from ${runProcesses} rp join ${runs} r on r.id = rp.run_id
              where ${matchesIdSql('rp', sha)})`;
}

/**
 * `packageVerified`: every process of the run that runs the hash runs the distro's own, unmodified
 * binary (what the skip setting leaves out).
 */
export function packageVerifiedSql(runId: SqlValue, sha: SQL): SQL<boolean> {
  return sql<boolean>`(not exists (select 1 from ${runProcesses} x where x.run_id = ${runId} and ${matchesIdSql('x', sha)}
                  and not ${processVerifiedSql('x')}))`;
}

/**
 * A hash of the run that its host's share left out of the queue and nothing has asked for since:
 * no answer, no lookup queued or failed.
 */
export function heldSql(runId: SqlValue, sha: SQL): SQL<boolean> {
  return sql<boolean>`(exists (select 1 from ${vtRunHeld} x where x.run_id = ${runId} and x.sha256 = ${sha})
       and not exists (select 1 from ${vtVerdicts} xv where xv.sha256 = ${sha})
       and not exists (select 1 from ${vtJobs} xj where xj.sha256 = ${sha}))`;
}
