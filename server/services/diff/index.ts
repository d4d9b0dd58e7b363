import 'server-only';
import type { Db } from '@/db';
import { ProcLensError } from '@/domain/errors';
import {
  clearHostBaseline,
  diffProcessRows,
  getHostBaseline,
  hostRunsForDiff,
  previousCompletedRunId,
  setHostBaseline,
  type HostBaseline,
} from '@/db/queries/diff';
import { getRun, type RunRow } from '@/db/queries/runs';
import { diffRuns, type DiffAgainst, type DiffCounts, type DiffEntry, type DiffProcessInput } from '@/domain/run-diff';
import type { HashVtState } from '@/domain/verdict';
import { vtStateOf } from '@/domain/vt-state';
import { getVtSettings } from '../virustotal/settings';

/** Why a diff cannot be made; the message is a sentence for the person who asked. */
export class RunDiffError extends ProcLensError {
  constructor(code: 'not-found' | 'conflict' | 'bad-input', message: string) {
    super(code, message);
  }
}

/** A run as the diff shows it (one side of the comparison). */
export interface DiffRunRef {
  id: number;
  hostId: number;
  hostname: string;
  status: RunRow['status'];
  source: RunRow['source'];
  startedAt: Date;
  processCount: number;
  distinctExecutables: number;
}

/** Why there is nothing to compare with (not an error: the page says so and offers a choice). */
export type DiffEmptyReason = 'no-previous' | 'no-baseline' | 'is-baseline';

export interface RunDiffEntry extends DiffEntry {
  /** VirusTotal on the new hash and on the old one (null: never checked, or no hash). */
  newVt: HashVtState | null;
  oldVt: HashVtState | null;
}

export interface RunDiffView {
  run: DiffRunRef;
  against: DiffAgainst;
  /** The run compared with; null when there is none (see `empty`). */
  other: DiffRunRef | null;
  /** False only when a run of another host was chosen explicitly. */
  sameHost: boolean;
  empty: DiffEmptyReason | null;
  /** The host's pinned baseline, whatever is compared. */
  baseline: HostBaseline | null;
  counts: DiffCounts;
  entries: RunDiffEntry[];
}

const ref = (r: RunRow): DiffRunRef => ({
  id: r.id,
  hostId: r.hostId,
  hostname: r.hostname,
  status: r.status,
  source: r.source,
  startedAt: r.startedAt,
  processCount: r.processCount,
  distinctExecutables: r.distinctExecutables,
});

async function completedRun(db: Db, runId: number, role: 'this' | 'other'): Promise<RunRow> {
  const run = await getRun(db, runId);
  if (!run) throw new RunDiffError('not-found', `Run ${runId} does not exist.`);
  if (run.status !== 'completed') {
    throw new RunDiffError(
      'conflict',
      role === 'this'
        ? `Run ${runId} has not completed (${run.status}); it has nothing to compare yet.`
        : `Run ${runId} has not completed (${run.status}); choose a completed run to compare with.`,
    );
  }
  return run;
}

const NO_COUNTS: DiffCounts = { new: 0, gone: 0, changed: 0, unchanged: 0 };

/**
 * The diff of `runId` against the host's previous completed run, its pinned baseline, or any
 * completed run by id (another host's only when chosen by id). Two queries for the runs' rows at
 * most, whatever their size: both sides come in one query and are joined in memory.
 */
export async function loadRunDiff(db: Db, runId: number, against: DiffAgainst): Promise<RunDiffView> {
  const run = await completedRun(db, runId, 'this');
  const baseline = await getHostBaseline(db, run.hostId);
  const base = { run: ref(run), against, baseline, sameHost: true, counts: NO_COUNTS, entries: [] };

  let otherId: number | null;
  if (against === 'previous') {
    otherId = await previousCompletedRunId(db, run);
    if (otherId === null) return { ...base, other: null, empty: 'no-previous' };
  } else if (against === 'baseline') {
    if (!baseline) return { ...base, other: null, empty: 'no-baseline' };
    if (baseline.runId === run.id) return { ...base, other: ref(run), empty: 'is-baseline' };
    otherId = baseline.runId;
  } else {
    if (against === run.id) {
      throw new RunDiffError('bad-input', `Run ${run.id} cannot be compared with itself; choose another run.`);
    }
    otherId = against;
  }
  const other = await completedRun(db, otherId, 'other');

  const [rows, vt] = await Promise.all([diffProcessRows(db, [run.id, other.id]), getVtSettings(db)]);
  const current: DiffProcessInput[] = [];
  const previous: DiffProcessInput[] = [];
  const vtByHash = new Map<string, HashVtState | null>();
  for (const r of rows) {
    (r.runId === run.id ? current : previous).push(r);
    if (r.sha256 && !vtByHash.has(r.sha256)) vtByHash.set(r.sha256, vtStateOf(r, vt.maliciousThreshold));
  }
  const { entries, counts } = diffRuns(current, previous);
  const vtOf = (sha: string | null) => (sha ? (vtByHash.get(sha) ?? null) : null);
  return {
    ...base,
    other: ref(other),
    sameHost: other.hostId === run.hostId,
    empty: null,
    counts,
    entries: entries.map((e) => ({ ...e, newVt: vtOf(e.newSha256), oldVt: vtOf(e.oldSha256) })),
  };
}

/** The runs of the host of `runId`, newest first, that the picker offers (only completed ones can be chosen). */
export async function diffCandidates(db: Db, run: { hostId: number }, limit = 200) {
  return hostRunsForDiff(db, run.hostId, limit);
}

/** Pins a completed run as its host's baseline; returns the baseline now in force. */
export async function pinBaseline(db: Db, runId: number, pinnedBy: string | null): Promise<HostBaseline> {
  const run = await getRun(db, runId);
  if (!run) throw new RunDiffError('not-found', `Run ${runId} does not exist.`);
  if (run.status !== 'completed') {
    throw new RunDiffError(
      'conflict',
      `Run ${runId} has not completed (${run.status}); only a completed run can be the baseline.`,
    );
  }
  await setHostBaseline(db, run.hostId, run.id, pinnedBy);
  return (await getHostBaseline(db, run.hostId))!;
}

/** Unpins the baseline of the host of `runId`; true when there was one. */
export async function unpinBaseline(db: Db, run: { hostId: number }): Promise<boolean> {
  return clearHostBaseline(db, run.hostId);
}

export type { HostBaseline };
