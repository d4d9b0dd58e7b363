import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { CollectStats } from '@/domain/host';
import type { RunOptions, RunSource } from '@/domain/runs';
import type { Db } from '../index';
import { refreshFleetForRun } from './fleet';
import { insertProcessRows, processColumns, type ProcessRowInput } from './process-rows';
import { executables, hosts, runProcesses, runs, vtJobs, vtVerdicts, type HostFactsJson } from '../schema';

export interface HostInput {
  hostKey: string;
  hostname: string;
  platform: string;
}

export async function upsertHost(db: Db, h: HostInput): Promise<number> {
  const [row] = await db
    .insert(hosts)
    .values({ hostKey: h.hostKey, hostname: h.hostname, platform: h.platform })
    .onConflictDoUpdate({
      target: hosts.hostKey,
      set: { hostname: h.hostname, platform: h.platform, lastSeenAt: sql`now()` },
    })
    .returning({ id: hosts.id });
  if (!row) throw new Error('host upsert returned no row');
  return row.id;
}

export interface NewRun {
  hostId: number;
  source: RunSource;
  startedAt: Date;
  options: RunOptions;
  hostFacts: HostFactsJson;
}

export async function insertRun(db: Db, r: NewRun): Promise<number> {
  const [row] = await db
    .insert(runs)
    .values({ ...r, status: 'running', heartbeatAt: new Date() })
    .returning({ id: runs.id });
  if (!row) throw new Error('run insert returned no row');
  return row.id;
}

export async function touchRun(db: Db, runId: number): Promise<void> {
  await db.update(runs).set({ heartbeatAt: new Date() }).where(eq(runs.id, runId));
}

export interface ExecutableInput {
  sha256: string;
  md5: string;
  sha1: string;
  /** null when only an imported workbook named the file. */
  size: number | null;
}

/** Stored executables by MD5 (the lowest SHA-256 when two share one), for imported MD5-only rows. */
export async function executablesByMd5(db: Db, md5s: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < md5s.length; i += BATCH) {
    const rows = await db
      .select({ md5: executables.md5, sha256: sql<string>`min(${executables.sha256})` })
      .from(executables)
      .where(inArray(executables.md5, md5s.slice(i, i + BATCH)))
      .groupBy(executables.md5);
    for (const r of rows) found.set(r.md5, r.sha256);
  }
  return found;
}

export type RunCompletion = CollectStats & { finishedAt: Date };

/** Postgres caps a statement at 65,535 parameters; 4 columns × 2,000 rows stays well below. */
const BATCH = 2000;

/** Rows per statement: one JSON parameter, so no parameter cap; this only bounds its size. */
const PROCESS_BATCH = 5000;

/** Stores a run's rows and marks it completed, all or nothing. */
export async function completeRun(
  db: Db,
  runId: number,
  exes: ExecutableInput[],
  rows: ProcessRowInput[],
  done: RunCompletion,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < exes.length; i += BATCH) {
      await tx
        .insert(executables)
        .values(exes.slice(i, i + BATCH))
        .onConflictDoNothing();
    }
    for (let i = 0; i < rows.length; i += PROCESS_BATCH) {
      await insertProcessRows(tx as unknown as Db, runId, rows.slice(i, i + PROCESS_BATCH));
    }
    await tx
      .update(runs)
      .set({ ...done, status: 'completed', heartbeatAt: done.finishedAt, error: null })
      .where(eq(runs.id, runId));
    await refreshFleetForRun(tx as unknown as Db, runId);
  });
}

export async function failRun(db: Db, runId: number, reason: string): Promise<void> {
  await db
    .update(runs)
    .set({ status: 'failed', error: reason, finishedAt: new Date() })
    .where(and(eq(runs.id, runId), eq(runs.status, 'running')));
}

/**
 * Runs left "running" by a process that died. `staleBefore` null means every running run is an
 * orphan (embedded mode: this process holds the only lock on the data).
 */
export async function failInterruptedRuns(db: Db, staleBefore: Date | null, reason: string): Promise<number> {
  const where = staleBefore
    ? and(eq(runs.status, 'running'), lt(runs.heartbeatAt, staleBefore))
    : eq(runs.status, 'running');
  const rows = await db
    .update(runs)
    .set({ status: 'failed', error: reason, finishedAt: new Date() })
    .where(where)
    .returning({ id: runs.id });
  return rows.length;
}

const runColumns = {
  id: runs.id,
  source: runs.source,
  status: runs.status,
  startedAt: runs.startedAt,
  finishedAt: runs.finishedAt,
  error: runs.error,
  options: runs.options,
  hostFacts: runs.hostFacts,
  totalProcesses: runs.totalProcesses,
  processCount: runs.processCount,
  distinctExecutables: runs.distinctExecutables,
  hashedFiles: runs.hashedFiles,
  cacheHits: runs.cacheHits,
  bytesRead: runs.bytesRead,
  durationMs: runs.durationMs,
  hostId: runs.hostId,
  hostname: hosts.hostname,
};

export type RunRow = NonNullable<Awaited<ReturnType<typeof getRun>>>;

export async function getRun(db: Db, runId: number) {
  const [row] = await db
    .select(runColumns)
    .from(runs)
    .innerJoin(hosts, eq(hosts.id, runs.hostId))
    .where(eq(runs.id, runId));
  return row ?? null;
}

export async function listRuns(db: Db, opts: { limit: number; beforeId?: number; host?: string }) {
  return db
    .select(runColumns)
    .from(runs)
    .innerJoin(hosts, eq(hosts.id, runs.hostId))
    .where(
      and(
        opts.beforeId ? lt(runs.id, opts.beforeId) : undefined,
        // A host by name (what people type) or by its key (machine-id).
        opts.host ? or(eq(hosts.hostname, opts.host), eq(hosts.hostKey, opts.host)) : undefined,
      ),
    )
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(opts.limit);
}

export async function runningRunForHost(db: Db, hostId: number) {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.hostId, hostId), eq(runs.status, 'running')))
    .orderBy(desc(runs.id))
    .limit(1);
  return row?.id ?? null;
}

/** What a row needs to know about its hash's VirusTotal answer (see vtStateOf). */
const vtColumns = {
  vtFound: vtVerdicts.found,
  vtScore: vtVerdicts.vtScore,
  vtTotalEngines: vtVerdicts.totalEngines,
  vtThreatLabel: vtVerdicts.threatLabel,
  vtFetchedAt: vtVerdicts.fetchedAt,
  vtJobStatus: vtJobs.status,
  vtJobError: vtJobs.lastError,
};

const lookupId = sql`coalesce(${runProcesses.sha256}, ${runProcesses.unresolvedMd5})`;

/**
 * A run's processes, Memory % descending (the run page's default order; ties by PID, then by row,
 * so an imported sheet without memory or PID keeps its own order),
 * all of them or the first `limit`: the first screen of the default view is a prefix of the whole.
 */
export async function getRunProcesses(db: Db, runId: number, limit?: number) {
  const query = db
    .select({
      id: runProcesses.id,
      ...processColumns,
      md5: sql<string | null>`coalesce(${executables.md5}, ${runProcesses.unresolvedMd5})`,
      sha1: executables.sha1,
      size: executables.size,
      ...vtColumns,
    })
    .from(runProcesses)
    .leftJoin(executables, eq(executables.sha256, runProcesses.sha256))
    // An imported MD5-only process is looked up (and answered) under its MD5 until resolved.
    .leftJoin(vtVerdicts, eq(vtVerdicts.sha256, lookupId))
    .leftJoin(vtJobs, eq(vtJobs.sha256, lookupId))
    .where(eq(runProcesses.runId, runId))
    .orderBy(desc(runProcesses.memoryPercent), runProcesses.pid, runProcesses.id)
    .$dynamic();
  return limit === undefined ? query : query.limit(limit);
}

/**
 * A run's process count and the process table's badge counts over it (the same rule as flagCounts in the UI:
 * `modified` integrity, distinct executables among those, any heuristic or a modified file).
 */
export async function getRunFlagCounts(db: Db, runId: number) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      modified: sql<number>`count(*) filter (where ${runProcesses.integrity} = 'modified')`.mapWith(Number),
      modifiedExes:
        sql<number>`count(distinct coalesce(${runProcesses.exePath}, '')) filter (where ${runProcesses.integrity} = 'modified')`.mapWith(
          Number,
        ),
      flagged:
        sql<number>`count(*) filter (where jsonb_array_length(${runProcesses.heuristics}) > 0 or ${runProcesses.integrity} = 'modified')`.mapWith(
          Number,
        ),
    })
    .from(runProcesses)
    .where(eq(runProcesses.runId, runId));
  return row ?? { total: 0, modified: 0, modifiedExes: 0, flagged: 0 };
}

/** One row per distinct executable in a run, with how many of the run's processes use it. */
export async function getRunExecutables(db: Db, runId: number) {
  return db
    .select({
      sha256: executables.sha256,
      md5: executables.md5,
      sha1: executables.sha1,
      size: executables.size,
      processCount: sql<number>`count(*)::int`,
      names: sql<string[]>`array_agg(distinct ${runProcesses.name} order by ${runProcesses.name})`,
      paths: sql<string[]>`array_agg(distinct ${runProcesses.exePath} order by ${runProcesses.exePath})`,
      memoryPercent: sql<number>`sum(${runProcesses.memoryPercent})::float8`,
      ...vtColumns,
    })
    .from(runProcesses)
    .innerJoin(executables, eq(executables.sha256, runProcesses.sha256))
    .leftJoin(vtVerdicts, eq(vtVerdicts.sha256, runProcesses.sha256))
    .leftJoin(vtJobs, eq(vtJobs.sha256, runProcesses.sha256))
    .where(eq(runProcesses.runId, runId))
    .groupBy(executables.sha256, vtVerdicts.sha256, vtJobs.sha256)
    .orderBy(desc(sql`count(*)`), executables.sha256);
}
