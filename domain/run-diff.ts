import type { HeuristicCode, PackageIntegrity } from './heuristics';
import { parseRunId } from './run-id';

/**
 * The run-diff rule: what differs between two runs at the executable level, keyed by the
 * executable's path, with the processes behind each difference. Pure and layer-neutral, so the
 * service, the exports and the tests share one definition.
 *
 * - **new**: the path is not in the other run (each hash at it is one entry; an unreadable file is
 *   one entry without a hash).
 * - **gone**: the path is in the other run only.
 * - **changed**: the path is in both, and this run has a hash there the other run did not (one
 *   entry per old → new pair). A path where either side could not be hashed is not compared.
 *
 * Processes without an executable path (kernel threads) are not executables and take no part.
 */

export const DIFF_KINDS = ['changed', 'new', 'gone'] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];

export const DIFF_KIND_LABELS: Record<DiffKind, string> = {
  new: 'New',
  gone: 'Gone',
  changed: 'Changed hash',
};

/** Where the diff compares against: the host's previous completed run, its pinned baseline, or a run by id. */
export type DiffAgainst = 'previous' | 'baseline' | number;

/** Parses `?against=` (URL or form): `previous` (also when absent), `baseline` or a run id; null when it is none. */
export function parseDiffAgainst(raw: string | null | undefined): DiffAgainst | null {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'previous') return 'previous';
  if (v === 'baseline') return 'baseline';
  return parseRunId(v);
}

/** The sentence for an `against` that is none of them. */
export const DIFF_AGAINST_PROBLEM = 'against must be "previous", "baseline" or a run id (a positive whole number).';

/** The stored columns of a process the diff reads (untrusted text from the host). */
export const DIFF_PROCESS_COLUMNS = [
  'pid',
  'name',
  'user',
  'effectiveUser',
  'exePath',
  'exeStatus',
  'sha256',
  'package',
  'integrity',
  'heuristics',
] as const satisfies ReadonlyArray<keyof DiffProcessInput>;

/** One process of a run, as the diff needs it. */
export interface DiffProcessInput {
  pid: number;
  name: string;
  user: string;
  effectiveUser: string | null;
  exePath: string | null;
  exeStatus: string;
  sha256: string | null;
  package: string | null;
  integrity: PackageIntegrity | null;
  heuristics: readonly HeuristicCode[];
}

export interface DiffProcess {
  pid: number;
  name: string;
  user: string;
  effectiveUser: string | null;
}

export interface DiffEntry {
  kind: DiffKind;
  path: string;
  /** The hash in this run (new, changed); null when gone, or when the file could not be hashed. */
  newSha256: string | null;
  /** The hash in the other run (gone, changed); null when new, or unhashed there. */
  oldSha256: string | null;
  /** The processes behind the entry: this run's for new and changed, the other run's for gone. */
  processes: DiffProcess[];
  /** Badges of those processes (their union, in the canonical order of first appearance). */
  heuristics: HeuristicCode[];
  package: string | null;
  integrity: PackageIntegrity | null;
  /** Some of those processes run an executable deleted or replaced while they run. */
  deletedWhileRunning: boolean;
  /**
   * The same content at other paths on the far side: for a new entry, where the other run had this
   * hash (a copy or a move); for a gone one, where this run has it now.
   */
  sameContentAt: string[];
}

export interface DiffCounts {
  new: number;
  gone: number;
  changed: number;
  /** Paths in both runs with the same hashes. */
  unchanged: number;
}

export interface RunDiffResult {
  entries: DiffEntry[];
  counts: DiffCounts;
}

interface PathGroup {
  /** Processes at this path, by hash ('' for unhashed). */
  byHash: Map<string, DiffProcessInput[]>;
}

const UNHASHED = '';

function groupByPath(rows: readonly DiffProcessInput[]): Map<string, PathGroup> {
  const out = new Map<string, PathGroup>();
  for (const r of rows) {
    if (!r.exePath) continue;
    let g = out.get(r.exePath);
    if (!g) {
      g = { byHash: new Map() };
      out.set(r.exePath, g);
    }
    const key = r.sha256 ?? UNHASHED;
    const list = g.byHash.get(key);
    if (list) list.push(r);
    else g.byHash.set(key, [r]);
  }
  return out;
}

function pathsByHash(groups: Map<string, PathGroup>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, g] of groups) {
    for (const sha of g.byHash.keys()) {
      if (sha === UNHASHED) continue;
      const list = out.get(sha);
      if (list) list.push(path);
      else out.set(sha, [path]);
    }
  }
  return out;
}

function entryFor(
  kind: DiffKind,
  path: string,
  newSha: string | null,
  oldSha: string | null,
  procs: readonly DiffProcessInput[],
  sameContentAt: readonly string[],
): DiffEntry {
  const heuristics: HeuristicCode[] = [];
  let pkg: string | null = null;
  let integrity: PackageIntegrity | null = null;
  let deleted = false;
  for (const p of procs) {
    for (const h of p.heuristics) if (!heuristics.includes(h)) heuristics.push(h);
    pkg ??= p.package;
    // A modified binary outranks any other verdict among the processes that run it.
    if (p.integrity === 'modified' || integrity === null) integrity = p.integrity ?? integrity;
    if (p.exeStatus === 'deleted') deleted = true;
  }
  return {
    kind,
    path,
    newSha256: newSha,
    oldSha256: oldSha,
    processes: procs
      .map((p) => ({ pid: p.pid, name: p.name, user: p.user, effectiveUser: p.effectiveUser }))
      .sort((a, b) => a.pid - b.pid),
    heuristics,
    package: pkg,
    integrity,
    deletedWhileRunning: deleted,
    sameContentAt: sameContentAt.filter((p) => p !== path).sort(),
  };
}

const KIND_ORDER: Record<DiffKind, number> = { changed: 0, new: 1, gone: 2 };

/**
 * Compares `current` (the run being viewed) with `other`. A Map join: linear in the two runs'
 * sizes, so two 10,000-process runs diff in milliseconds.
 */
export function diffRuns(current: readonly DiffProcessInput[], other: readonly DiffProcessInput[]): RunDiffResult {
  const cur = groupByPath(current);
  const old = groupByPath(other);
  const curPathsByHash = pathsByHash(cur);
  const oldPathsByHash = pathsByHash(old);
  const entries: DiffEntry[] = [];
  const counts: DiffCounts = { new: 0, gone: 0, changed: 0, unchanged: 0 };

  for (const [path, g] of cur) {
    const o = old.get(path);
    if (!o) {
      for (const [sha, procs] of g.byHash) {
        const hash = sha === UNHASHED ? null : sha;
        entries.push(entryFor('new', path, hash, null, procs, hash ? (oldPathsByHash.get(hash) ?? []) : []));
      }
      continue;
    }
    const oldHashes = [...o.byHash.keys()].filter((h) => h !== UNHASHED);
    const newHashes = [...g.byHash.keys()].filter((h) => h !== UNHASHED);
    let changedHere = false;
    if (oldHashes.length > 0) {
      const gained = newHashes.filter((h) => !o.byHash.has(h));
      // The old hashes no longer at the path; all of them when this run still has one of them too.
      const lost = oldHashes.filter((h) => !g.byHash.has(h));
      const before = lost.length > 0 ? lost : oldHashes;
      for (const n of gained) {
        for (const b of before) entries.push(entryFor('changed', path, n, b, g.byHash.get(n)!, []));
        changedHere = true;
      }
    }
    if (!changedHere) counts.unchanged++;
  }
  for (const [path, g] of old) {
    if (cur.has(path)) continue;
    for (const [sha, procs] of g.byHash) {
      const hash = sha === UNHASHED ? null : sha;
      entries.push(entryFor('gone', path, null, hash, procs, hash ? (curPathsByHash.get(hash) ?? []) : []));
    }
  }
  for (const e of entries) counts[e.kind]++;
  entries.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      (a.newSha256 ?? '').localeCompare(b.newSha256 ?? '') ||
      (a.oldSha256 ?? '').localeCompare(b.oldSha256 ?? ''),
  );
  return { entries, counts };
}
