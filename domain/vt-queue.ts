/**
 * The VirusTotal queue's fairness rules as every layer sees them (issue 17 item 10). Layer-neutral:
 * imports nothing of app/, server/ or db/.
 *
 * Order of service: the priority first (what a person asked for before what agents queued on their
 * own), then hosts in turn (the least recently served host with work goes next), then each host's
 * own jobs by its own rank. An agent's claims (integrity, heuristics) are evidence about its own
 * host only: they order that host's lookups and nothing else.
 */
export const QUEUE_PRIORITY = {
  /** A person asked: a local collect or CLI check, an analyst's Check, Re-check or Retry failed. */
  asked: 0,
  /** Queued on its own as an agent's snapshot arrived (INGEST_VT_CHECK), within the host's daily share. */
  agent: 1,
} as const;
export type QueuePriority = (typeof QUEUE_PRIORITY)[keyof typeof QUEUE_PRIORITY];

/**
 * Default of INGEST_VT_NEW_PER_HOST_DAY: new lookups one host's agent snapshots may queue per UTC
 * day. A Linux host typically runs a few dozen to a couple of hundred distinct executables (a lean
 * server some 30–120, a desktop up to ~250; estimates, not a survey), most of them distro binaries
 * that other hosts share and the fleet looks up once; after its first snapshot a host brings only a
 * handful of new ones a day. 200 covers a real host's first day, and is 40 % of the free key's 500
 * a day: however many fake hashes one host sends, it cannot queue more than that, and the turns
 * serve the other hosts in between.
 */
export const DEFAULT_NEW_PER_HOST_DAY = 200;

/** The words the run and hosts pages show for hashes left out of the queue by the cap. */
export const NOT_QUEUED_OVER_SHARE = 'not queued: host over its share';

/**
 * Which of a host's new lookups fit its share today: the first `left` in the host's own order
 * (what its own snapshot says most likely matters goes first); the rest are held.
 */
export function splitByShare<T>(ordered: readonly T[], left: number): { queued: T[]; held: T[] } {
  const n = Math.max(0, Math.min(ordered.length, Math.floor(left)));
  return { queued: ordered.slice(0, n), held: ordered.slice(n) };
}

/**
 * A hash's rank in its host's own lookup order (lower first). The labels the run page shows for
 * them follow the same numbers.
 */
export const LOOKUP_RANK = {
  /** A packaged file that fails its checksum, or an unpackaged one with a heuristic badge. */
  first: 0,
  /** A heuristic badge, or not owned by any package. */
  early: 1,
  /** Not checked against a package. */
  normal: 2,
  /** Package-verified (`packageVerified`): the distro's own, unmodified binary. */
  last: 3,
} as const;
export type LookupRank = (typeof LOOKUP_RANK)[keyof typeof LOOKUP_RANK];

/** What one process's snapshot says about its file: the facts the lookup order reads. */
export interface FileFacts {
  integrity: string | null;
  heuristics: readonly string[];
}

/** The process runs a file that matches its dpkg package's checksum and carries no heuristic badge. */
export function processPackageVerified(p: FileFacts): boolean {
  return p.integrity === 'matches' && p.heuristics.length === 0;
}

/**
 * A hash is package-verified in a run when every process of the run that runs it is (what the skip
 * setting leaves out). db/rules/lookup.ts `packageVerifiedSql` is this rule in SQL.
 */
export function packageVerified(processes: readonly FileFacts[]): boolean {
  return processes.every(processPackageVerified);
}

/**
 * The rank of a hash from the processes of one run that run it (one host's own facts: an agent's
 * claims order its own host's lookups only). db/rules/lookup.ts `lookupRankSql` is this rule in SQL.
 */
export function lookupRank(processes: readonly FileFacts[]): LookupRank {
  const modified = processes.some((p) => p.integrity === 'modified');
  const unpackaged = processes.some((p) => p.integrity === 'not-packaged');
  const badge = processes.some((p) => p.heuristics.length > 0);
  if (modified || (unpackaged && badge)) return LOOKUP_RANK.first;
  if (badge || unpackaged) return LOOKUP_RANK.early;
  if (processes.length > 0 && processes.every(processPackageVerified)) return LOOKUP_RANK.last;
  return LOOKUP_RANK.normal;
}
