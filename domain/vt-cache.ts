/**
 * The VirusTotal cache's freshness rule, defined once: a stored report is trusted for
 * `cacheTtlDays`, a stored "not found" for `notFoundTtlHours` (VirusTotal learns new files sooner
 * than it changes its mind about known ones). Inside the window no request is spent on the hash;
 * after it a check asks again. db/rules/vt.ts `freshSql` is this rule in SQL (a test holds them equal).
 */

/** The two settings the rule reads (domain/vt-settings.ts bounds them). */
export interface CacheTtls {
  cacheTtlDays: number;
  notFoundTtlHours: number;
}

/** The rule at one moment: answers fetched at or after these instants are fresh. */
export interface Freshness {
  /** Found reports fetched at or after this are fresh. */
  foundAfter: Date;
  /** "Not found" answers fetched at or after this are fresh. */
  notFoundAfter: Date;
}

export function freshnessAt(ttls: CacheTtls, now: number): Freshness {
  return {
    foundAfter: new Date(now - ttls.cacheTtlDays * 86_400_000),
    notFoundAfter: new Date(now - ttls.notFoundTtlHours * 3_600_000),
  };
}

/** A stored answer (null: none) is fresh when it was fetched inside its kind's window. */
export function isFresh(answer: { found: boolean; fetchedAt: Date } | null, fresh: Freshness): boolean {
  if (answer === null) return false;
  const after = answer.found ? fresh.foundAfter : fresh.notFoundAfter;
  return answer.fetchedAt.getTime() >= after.getTime();
}
