import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { LockInfo } from '@/db/lock';
import { getEnv } from '@/server/env';
import { buildRunJson } from '@/server/services/artifacts/run-json';
import type { RunExport } from '@/server/services/artifacts/types';
import { collectProcesses } from '@/server/services/processes/collect';
import { shutdownHashPool } from '@/server/services/processes/hash-pool';
import { createMemoryHashCache } from '@/server/services/processes/memory-hash-cache';
import { CachedPackageIndex, PACKAGE_CACHE_FILE } from '@/server/services/processes/package-cache';
import type { CollectProgress, CollectResult } from '@/server/services/processes/types';
import { exportFromCollect } from '@/server/services/runs/export-from-collect';
import { CliError, type Reporter } from './output';

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
    throw new CliError('A ProcLens server holds the data directory but has not said where it listens yet; try again.');
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
      `The ProcLens server at ${holder.url} did not accept the run: ${e instanceof Error ? e.message : e}`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as { runId?: number; error?: { message?: string } };
  if (!res.ok || typeof answer.runId !== 'number') {
    throw new CliError(
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
      `Another ProcLens CLI (pid ${holder.pid}) has held the data directory for a minute; try again later.`,
    );
  return holder;
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
  const [{ openDb }, { DataDirLockedError }, { recoverAfterOpen }, { createDbHashCache }, { ingestSnapshot }] =
    await Promise.all([
      import('@/db'),
      import('@/db/lock'),
      import('@/server/recover'),
      import('@/server/services/runs/db-hash-cache'),
      import('@/server/services/runs/collect-run'),
    ]);
  let handle;
  try {
    handle = await openDb({ holder: 'cli' });
  } catch (e) {
    // Someone took the directory between our look and our open: wait for it or hand over to it.
    if (e instanceof DataDirLockedError && attempt < 5) return collectAndKeep(args, report, attempt + 1);
    throw e;
  }
  await recoverAfterOpen(handle);
  const result = await collectLocally(args, report, createDbHashCache(handle.db));
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
