import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { LockInfo } from '@/db/lock';
import { getEnv } from '@/lib/env';
import { buildRunJson } from '@/server/services/artifacts/run-json';
import type { RunExport } from '@/server/services/artifacts/types';
import { collectProcesses } from '@/server/services/processes/collect';
import { shutdownHashPool } from '@/server/services/processes/hash-pool';
import { createMemoryHashCache } from '@/server/services/processes/memory-hash-cache';
import { CachedPackageIndex, PACKAGE_CACHE_FILE } from '@/server/services/processes/package-cache';
import type { CollectProgress, CollectResult, HashCacheStore } from '@/server/services/processes/types';
import { exportFromCollect } from '@/server/services/runs/export-from-collect';
import { CliError, type Reporter } from './output';
import { preferQuickWasmStart } from './short-lived-wasm';

// Only what every collect needs is imported above. The database (PGlite, drizzle, migrations) is
// imported when the run is stored, SheetJS when a workbook is written: `collect --no-store --json`
// loads neither.

export interface CollectArgs {
  minMemoryPercent: number;
  json: boolean;
  outDir: string | null;
  store: boolean;
}

function progressLine(report: Reporter) {
  let last = '';
  return (p: CollectProgress) => {
    const line = p.phase === 'hashing' ? `hashing executables ${p.done}/${p.total}` : p.phase;
    if (line !== last) report.progress(line);
    last = line;
  };
}

/**
 * The dpkg owners are remembered in DATA_DIR between runs (a new process would otherwise index the
 * whole dpkg database). Where DATA_DIR does not exist (`--no-store` elsewhere) nothing is created.
 */
function packageIndex(): CachedPackageIndex {
  const { dataDir } = getEnv();
  return new CachedPackageIndex(fs.existsSync(dataDir) ? path.join(dataDir, PACKAGE_CACHE_FILE) : null);
}

async function collectLocally(args: CollectArgs, report: Reporter, cache = createMemoryHashCache()) {
  const env = getEnv();
  return collectProcesses({
    minMemoryPercent: args.minMemoryPercent,
    hashCache: cache,
    packageIndex: packageIndex(),
    maxFileBytes: env.HASH_MAX_FILE_MB * 1024 * 1024,
    workers: env.hashWorkers,
    onProgress: progressLine(report),
  });
}

/** A server holds the embedded database: collect here, hand the snapshot to it. */
async function storeThroughServer(holder: LockInfo, result: CollectResult, args: CollectArgs): Promise<number> {
  if (!holder.url)
    throw new CliError(
      'unavailable',
      'A ProcLens server holds the data directory but has not said where it listens yet; try again.',
    );
  const body = JSON.stringify({ ...result, minMemoryPercent: args.minMemoryPercent });
  let res: Response;
  try {
    res = await fetch(`${holder.url}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-proclens-local-token': holder.token },
      body,
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    throw new CliError(
      'unavailable',
      `The ProcLens server at ${holder.url} did not accept the run: ${e instanceof Error ? e.message : e}`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as { runId?: number; error?: { message?: string } };
  if (!res.ok || typeof answer.runId !== 'number') {
    throw new CliError(
      'unavailable',
      `The ProcLens server refused the run (${res.status}): ${answer.error?.message ?? 'no reason given'}`,
    );
  }
  return answer.runId;
}

async function waitForCliHolder(dataDir: string, readLock: (dir: string) => LockInfo | null): Promise<LockInfo | null> {
  const deadline = Date.now() + 60_000;
  let holder = readLock(dataDir);
  while (holder?.kind === 'cli' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    holder = readLock(dataDir);
  }
  if (holder?.kind === 'cli')
    throw new CliError(
      'conflict',
      `Another ProcLens CLI (pid ${holder.pid}) has held the data directory for a minute; try again later.`,
    );
  return holder;
}

/**
 * A hash cache whose store arrives later (the database while it opens). `waitedMs` is how long the
 * collection waited for it: time spent opening the database, not collecting.
 */
function deferredHashCache(store: Promise<HashCacheStore>) {
  let ready: HashCacheStore | null = null;
  let waitedMs = 0;
  const get = async (): Promise<HashCacheStore> => {
    if (ready) return ready;
    const t0 = performance.now();
    ready = await store;
    waitedMs += performance.now() - t0;
    return ready;
  };
  const cache: HashCacheStore = {
    getMany: async (hostKey, ids) => (await get()).getMany(hostKey, ids),
    putMany: async (hostKey, entries) => (await get()).putMany(hostKey, entries),
  };
  return { cache, waitedMs: () => waitedMs };
}

/** Collects, stores (unless --no-store) and returns the run as the exports see it. */
async function collectAndKeep(args: CollectArgs, report: Reporter, attempt = 0): Promise<RunExport> {
  const env = getEnv();
  if (!args.store) {
    const result = await collectLocally(args, report);
    return exportFromCollect(result, null, 'cli', args.minMemoryPercent);
  }
  if (env.dbMode === 'pglite') {
    const { readLock } = await import('@/db/lock');
    const holder = await waitForCliHolder(env.dataDir, readLock);
    if (holder?.kind === 'server') {
      const result = await collectLocally(args, report);
      report.progress(`handing the run to the server at ${holder.url}`);
      const runId = await storeThroughServer(holder, result, args);
      return exportFromCollect(result, runId, 'cli', args.minMemoryPercent);
    }
  }
  // Before PGlite is imported: V8 reads the flag when it compiles the module.
  if (env.dbMode === 'pglite') preferQuickWasmStart();
  const [{ openDb }, { DataDirLockedError }, { recoverAfterOpen }, { createDbHashCache }, { ingestSnapshot }] =
    await Promise.all([
      import('@/db'),
      import('@/db/lock'),
      import('@/server/recover'),
      import('@/server/services/runs/db-hash-cache'),
      import('@/server/services/runs/collect-run'),
    ]);
  // Opening PGlite is CPU on this thread, enumerating /proc is mostly I/O: both start now, and the
  // hash cache lookup (the first step that needs the database) waits for the open and recovery.
  const opened = openDb({ holder: 'cli' }).then(async (handle) => {
    await recoverAfterOpen(handle);
    return handle;
  });
  const store = opened.then((h) => createDbHashCache(h.db));
  const deferred = deferredHashCache(store);
  const collected = collectLocally(args, report, deferred.cache);
  // Both are awaited below; these keep a rejection that arrives before then from being "unhandled".
  store.catch(() => undefined);
  collected.catch(() => undefined);
  let handle;
  try {
    handle = await opened;
  } catch (e) {
    await collected.catch(() => undefined); // it stops at its cache lookup
    // Someone took the directory between our look and our open: wait for it or hand over to it.
    if (e instanceof DataDirLockedError && attempt < 5) return collectAndKeep(args, report, attempt + 1);
    throw e;
  }
  const result = await collected;
  // The run's duration is the collecting, as when the database was opened first (a new database
  // takes seconds to create; the collection waits for it at its cache lookup).
  result.stats.durationMs = Math.max(0, Math.round(result.stats.durationMs - deferred.waitedMs()));
  report.progress('storing the run');
  const runId = await ingestSnapshot(handle.db, { ...result, minMemoryPercent: args.minMemoryPercent }, 'cli');
  return exportFromCollect(result, runId, 'cli', args.minMemoryPercent);
}

export async function runCollect(args: CollectArgs, report: Reporter): Promise<void> {
  try {
    const data = await collectAndKeep(args, report);
    if (args.outDir) {
      const dir = path.resolve(args.outDir);
      fs.mkdirSync(dir, { recursive: true });
      const { workbookFileName } = await import('@/server/services/artifacts/file-names');
      const file = path.join(dir, workbookFileName(data.run.startedAt));
      const { buildRunWorkbook } = await import('@/server/services/artifacts/workbook');
      fs.writeFileSync(file, buildRunWorkbook(data));
      report.progress(`workbook written: ${file}`);
    }
    if (args.json) {
      report.stdout(JSON.stringify(buildRunJson(data)));
    } else {
      const r = data.run;
      report.stdout(
        `${r.id === null ? 'Collected (not stored)' : `Run ${r.id}`}: ${r.processCount} processes kept of ${r.totalProcesses}, ` +
          `${r.distinctExecutables} distinct executables, ${r.durationMs} ms on ${data.host.hostname}`,
      );
    }
  } finally {
    await shutdownHashPool();
    if (args.store) await (await import('@/db')).closeDb();
  }
}
