import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { vtMaliciousSql, vtScoreSql, type VerdictCols } from './vt';

/**
 * Triage's rules in SQL (domain/triage.ts), each over a stored VirusTotal answer's columns and the
 * decision in force (`decision`: hash_triage.decision, null when nobody decided).
 */

/**
 * On the IOC list (`onIocList`): confirmed malicious whatever VirusTotal says; a false positive or
 * benign never; otherwise when VirusTotal calls it malicious with the threshold in force.
 */
export function iocSql(v: VerdictCols, threshold: number, decision: SQLWrapper): SQL<boolean> {
  return sql<boolean>`(case when ${decision} = 'malicious' then true
    when ${decision} in ('false-positive', 'benign') then false
    else ${vtMaliciousSql(v, threshold)} end)`;
}

/** "Untriaged with VTScore ≥ 1" (`needsTriage`): some engine flags it and nobody has decided yet. */
export function needsTriageSql(v: VerdictCols, decision: SQLWrapper): SQL<boolean> {
  return sql<boolean>`(${decision} is null and coalesce(${vtScoreSql(v)} >= 1, false))`;
}
