import { and, desc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { DIFF_PROCESS_COLUMNS } from '@/domain/run-diff';
import type { Db } from '../index';
import { processColumnsOf } from './process-rows';
import { hostBaselines, runProcesses, runs, vtJobs, vtVerdicts } from '../schema';

/** Queries of the run diff: the run to compare with, a host's pinned baseline, and both runs' executables. */

/** The latest completed run of the host that started before `run` (ties broken by id). */
export async function previousCompletedRunId(
  db: Db,
  run: { id: number; hostId: number; startedAt: Date },
): Promise<number | null> {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(
      and(
        eq(runs.hostId, run.hostId),
        eq(runs.status, 'completed'),
        or(lt(runs.startedAt, run.startedAt), and(eq(runs.startedAt, run.startedAt), lt(runs.id, run.id))),
      ),
    )
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(1);
  return row?.id ?? null;
}

export interface HostBaseline {
  runId: number;
  pinnedAt: Date;
  pinnedBy: string | null;
}

export async function getHostBaseline(db: Db, hostId: number): Promise<HostBaseline | null> {
  const [row] = await db
    .select({ runId: hostBaselines.runId, pinnedAt: hostBaselines.pinnedAt, pinnedBy: hostBaselines.pinnedBy })
    .from(hostBaselines)
    .where(eq(hostBaselines.hostId, hostId));
  return row ?? null;
}

/** Pins `runId` as the host's baseline, replacing any earlier one. */
export async function setHostBaseline(db: Db, hostId: number, runId: number, pinnedBy: string | null): Promise<void> {
  await db
    .insert(hostBaselines)
    .values({ hostId, runId, pinnedBy, pinnedAt: new Date() })
    .onConflictDoUpdate({ target: hostBaselines.hostId, set: { runId, pinnedBy, pinnedAt: new Date() } });
}

/** Removes the host's baseline; true when there was one. */
export async function clearHostBaseline(db: Db, hostId: number): Promise<boolean> {
  const rows = await db
    .delete(hostBaselines)
    .where(eq(hostBaselines.hostId, hostId))
    .returning({ runId: hostBaselines.runId });
  return rows.length > 0;
}

/**
 * Every process with an executable path of the given runs (one query for both sides of a diff),
 * with its hash's stored VirusTotal answer.
 */
export async function diffProcessRows(db: Db, runIds: number[]) {
  return db
    .select({
      runId: runProcesses.runId,
      ...processColumnsOf(DIFF_PROCESS_COLUMNS),
      vtFound: vtVerdicts.found,
      vtScore: vtVerdicts.vtScore,
      vtTotalEngines: vtVerdicts.totalEngines,
      vtThreatLabel: vtVerdicts.threatLabel,
      vtJobStatus: vtJobs.status,
      vtJobError: vtJobs.lastError,
    })
    .from(runProcesses)
    .leftJoin(vtVerdicts, eq(vtVerdicts.sha256, runProcesses.sha256))
    .leftJoin(vtJobs, eq(vtJobs.sha256, runProcesses.sha256))
    .where(and(inArray(runProcesses.runId, runIds), isNotNull(runProcesses.exePath)));
}

/** A host's runs, newest first, for the "compare with" picker; flags the pinned baseline. */
export async function hostRunsForDiff(db: Db, hostId: number, limit: number) {
  return db
    .select({
      id: runs.id,
      status: runs.status,
      source: runs.source,
      startedAt: runs.startedAt,
      processCount: runs.processCount,
      distinctExecutables: runs.distinctExecutables,
      isBaseline: sql<boolean>`${hostBaselines.runId} is not null`,
    })
    .from(runs)
    .leftJoin(hostBaselines, and(eq(hostBaselines.hostId, runs.hostId), eq(hostBaselines.runId, runs.id)))
    .where(eq(runs.hostId, hostId))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(limit);
}
