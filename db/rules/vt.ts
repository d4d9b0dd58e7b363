import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Verdict } from '@/domain/verdict';
import type { Freshness } from '@/domain/vt-cache';

/**
 * The VirusTotal rules in SQL, one fragment per rule of domain/ (tests/rules-suite.ts holds each
 * equal to its TypeScript rule on the same cases). A fragment takes the columns it reads, so any
 * query, whatever its aliases, states the rule the same way.
 */

/** The vt_verdicts columns the rules read: a stored answer's, or all null when there is none. */
export interface VerdictCols {
  found: SQLWrapper;
  vtScore: SQLWrapper;
  fetchedAt: SQLWrapper;
}

/** The columns of the vt_verdicts row `alias` (a raw alias: never user input). */
export function verdictColsOf(alias: string): VerdictCols {
  return {
    found: sql.raw(`${alias}.found`),
    vtScore: sql.raw(`${alias}.vt_score`),
    fetchedAt: sql.raw(`${alias}.fetched_at`),
  };
}

/**
 * The VTScore as every rule reads it (domain/vt-state.ts `vtStateOf`): VirusTotal's count when it
 * has a report, null when it has none. A "not found" answer stored over an older report leaves that
 * report's score in the row; it is not a score any more.
 */
export function vtScoreSql(v: VerdictCols): SQL<number | null> {
  return sql<number | null>`(case when ${v.found} then ${v.vtScore} end)`;
}

/**
 * The verdict of the stored answer with the threshold in force (domain/verdict.ts `verdictFor` over
 * `vtStateOf`'s score); null without a stored answer (pending, failed or never asked: no verdict).
 */
export function verdictSql(v: VerdictCols, threshold: number): SQL<Verdict | null> {
  const score = vtScoreSql(v);
  return sql<Verdict | null>`(case when ${v.found} is null then null
    when ${score} is null then 'not-found'
    when ${score} >= ${threshold}::int then 'malicious'
    when ${score} >= 1 then 'needs-research'
    else 'not-malicious' end)`;
}

/** VirusTotal calls the file malicious: `verdictSql` is 'malicious' (never null). */
export function vtMaliciousSql(v: VerdictCols, threshold: number): SQL<boolean> {
  return sql<boolean>`coalesce(${verdictSql(v, threshold)} = 'malicious', false)`;
}

/**
 * The stored answer is fresh (domain/vt-cache.ts `isFresh`): fetched inside its kind's window. False,
 * never null, without a stored answer, so `not freshSql(…)` reads "needs a request".
 */
export function freshSql(v: VerdictCols, fresh: Freshness): SQL<boolean> {
  return sql<boolean>`coalesce((case when ${v.found} then ${v.fetchedAt} >= ${fresh.foundAfter}::timestamptz
    else ${v.fetchedAt} >= ${fresh.notFoundAfter}::timestamptz end), false)`;
}
