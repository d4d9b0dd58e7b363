import 'server-only';
import type { Db } from '@/db';
import {
  completeRun,
  failInterruptedRuns,
  failRun,
  insertRun,
  runningRunForHost,
  touchRun,
  upsertHost,
  type ExecutableInput,
} from '@/db/queries/runs';
import { processRow, type ProcessRowInput } from '@/db/queries/process-rows';
import { findIngestedSnapshot, lockSnapshotId, recordIngestedSnapshot, upsertHostAgent } from '@/db/queries/fleet';
import type { RunSource } from '@/domain/runs';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import { collectProcesses, getHostFacts } from '../processes';
import type { CollectProgress, HostFacts } from '../processes/types';
import { createDbHashCache } from './db-hash-cache';
import type { Snapshot } from './snapshot';
import { processSingleton } from '@/lib/singleton';

export interface CollectRequest {
  source: RunSource;
  minMemoryPercent: number;
}

interface InFlight {
  /** Resolves to the new run's id (negative: a run already under way elsewhere). */
  started: Promise<number>;
  runId: number;
  progress: CollectProgress;
}

const inFlight = processSingleton<InFlight>('collection');

/** Progress of the collection this process is running, if it is the given run. */
export function collectionProgress(runId: number): CollectProgress | null {
  const f = inFlight.get();
  return f && f.runId === runId ? f.progress : null;
}

const HEARTBEAT_MS = 5_000;
/** A running run whose heartbeat is older than this belongs to a process that died. */
export const STALE_AFTER_MS = 60_000;

function hostFactsJson(h: HostFacts) {
  const { hostKey: _k, ...facts } = h;
  return facts;
}

function toRows(processes: Snapshot['processes']): { exes: ExecutableInput[]; rows: ProcessRowInput[] } {
  const exes = new Map<string, ExecutableInput>();
  const rows = processes.map(({ hashes, ...facts }) => {
    if (hashes) exes.set(hashes.sha256, { ...hashes });
    return processRow(facts, hashes?.sha256 ?? null);
  });
  return { exes: [...exes.values()], rows };
}

async function execute(
  db: Db,
  runId: number,
  req: CollectRequest,
  onProgress: (p: CollectProgress) => void,
): Promise<void> {
  const env = getEnv();
  const beat = setInterval(() => void touchRun(db, runId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  try {
    const result = await collectProcesses({
      minMemoryPercent: req.minMemoryPercent,
      hashCache: createDbHashCache(db),
      maxFileBytes: env.HASH_MAX_FILE_MB * 1024 * 1024,
      workers: env.hashWorkers,
      onProgress,
    });
    const { exes, rows } = toRows(result.processes);
    await completeRun(db, runId, exes, rows, { ...result.stats, finishedAt: new Date() });
    logger.info({ runId, ...result.stats }, 'collection completed');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    logger.error({ runId, err: reason }, 'collection failed');
    await failRun(db, runId, `Collection failed: ${reason}`);
    throw e;
  } finally {
    clearInterval(beat);
  }
}

function createRunRow(db: Db, req: CollectRequest, host: HostFacts, hostId: number): Promise<number> {
  return insertRun(db, {
    hostId,
    source: req.source,
    startedAt: new Date(),
    options: { minMemoryPercent: req.minMemoryPercent },
    hostFacts: hostFactsJson(host),
  });
}

/**
 * Starts a collection in the background and returns its run as soon as the row exists. One
 * collection per process: a request while one runs joins it instead of hashing everything twice.
 */
export async function startCollection(db: Db, req: CollectRequest): Promise<{ runId: number; joined: boolean }> {
  const current = inFlight.get();
  if (current) return { runId: Math.abs(await current.started), joined: true };
  // Claimed synchronously, before any await, so concurrent requests see it.
  const flight: InFlight = {
    started: Promise.resolve(-1),
    runId: -1,
    progress: { phase: 'enumerating', done: 0, total: 0 },
  };
  inFlight.set(flight);
  const release = () => {
    if (inFlight.get() === flight) inFlight.clear();
  };
  flight.started = (async () => {
    const host = await getHostFacts();
    const hostId = await upsertHost(db, host);
    // A hosted replica may be collecting this host right now.
    const elsewhere = await runningRunForHost(db, hostId);
    if (elsewhere !== null) return -elsewhere;
    return createRunRow(db, req, host, hostId);
  })();
  let id: number;
  try {
    id = await flight.started;
  } catch (e) {
    release();
    throw e;
  }
  if (id < 0) {
    release();
    return { runId: -id, joined: true };
  }
  flight.runId = id;
  void execute(db, id, req, (p) => {
    flight.progress = p;
  })
    .catch(() => undefined)
    .finally(release);
  return { runId: id, joined: false };
}

/** Collects and stores, waiting for the end (the CLI's path when it holds the database). */
export async function collectAndStore(
  db: Db,
  req: CollectRequest,
  onProgress: (p: CollectProgress) => void = () => undefined,
): Promise<number> {
  const host = await getHostFacts();
  const runId = await createRunRow(db, req, host, await upsertHost(db, host));
  await execute(db, runId, req, onProgress);
  return runId;
}

export interface AgentDelivery {
  /** Chosen by the agent; a replay of the same id stores nothing and answers with the same run. */
  snapshotId: string;
  agentVersion: string;
  tokenId: number | null;
}

/**
 * Stores a snapshot collected elsewhere (the CLI while a server holds the data, or an agent) in one
 * transaction: host, run, executables, processes, fleet counts and the snapshot id — all or nothing.
 */
export async function storeSnapshot(
  db: Db,
  snap: Snapshot,
  source: RunSource,
  agent: AgentDelivery | null = null,
): Promise<{ runId: number; replayed: boolean }> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    if (agent) {
      await lockSnapshotId(tx, agent.snapshotId);
      const existing = await findIngestedSnapshot(tx, agent.snapshotId);
      if (existing !== null) return { runId: existing, replayed: true };
    }
    const hostId = await upsertHost(tx, snap.host);
    const runId = await insertRun(tx, {
      hostId,
      source,
      startedAt: snap.startedAt,
      options: { minMemoryPercent: snap.minMemoryPercent },
      hostFacts: hostFactsJson(snap.host),
    });
    const { exes, rows } = toRows(snap.processes);
    await completeRun(tx, runId, exes, rows, {
      ...snap.stats,
      durationMs: Math.round(snap.stats.durationMs),
      finishedAt: new Date(),
    });
    if (agent) {
      await recordIngestedSnapshot(tx, {
        snapshotId: agent.snapshotId,
        runId,
        tokenId: agent.tokenId,
        agentVersion: agent.agentVersion,
      });
      await upsertHostAgent(tx, hostId, agent.agentVersion, agent.tokenId);
    }
    return { runId, replayed: false };
  });
}

/** Stores a snapshot and returns its run id (the CLI hand-over and tests). */
export async function ingestSnapshot(db: Db, snap: Snapshot, source: RunSource): Promise<number> {
  return (await storeSnapshot(db, snap, source)).runId;
}

/**
 * Marks runs left "running" by a crash as failed. With the embedded database this process holds the
 * only lock, so every running run is an orphan; on Postgres, only those whose heartbeat went stale.
 */
export async function recoverInterruptedRuns(db: Db, exclusive: boolean): Promise<number> {
  const n = await failInterruptedRuns(
    db,
    exclusive ? null : new Date(Date.now() - STALE_AFTER_MS),
    'Interrupted: the process collecting this run stopped before it finished.',
  );
  if (n > 0) logger.warn({ runs: n }, 'marked interrupted runs as failed');
  return n;
}
