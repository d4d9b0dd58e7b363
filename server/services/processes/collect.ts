import 'server-only';
import { ProcLensError } from '@/domain/errors';
import type { CollectedProcess } from './collected';
import { getHashPool, type HashJobResult, type HashPool } from './hash-pool';
import { hashTargets, type HashOutcome } from './hash-targets';
import { getHostFacts } from './host-facts';
import { systemPackageIndex, type PackageVerifier } from './package-index';
import { collectLinuxProcesses, procIsReadable } from './proc-linux';
import { fileIdentityKey, type CollectOptions, type CollectResult, type ProcessRecord } from './types';

/** Thrown when `signal` aborts a collection; `name` matches DOMException's so generic checks work. */
export class CollectAbortedError extends ProcLensError {
  constructor(options?: { cause?: unknown }) {
    super('unavailable', 'Process collection was cancelled', options);
    this.name = 'AbortError';
  }
}

async function enumerate(signal?: AbortSignal, onProcess?: (p: CollectedProcess) => void): Promise<CollectedProcess[]> {
  if (process.platform === 'linux' && (await procIsReadable())) return collectLinuxProcesses(signal, onProcess);
  // systeminformation is slow to load: only the platforms without /proc pay for it.
  const { collectFallbackProcesses } = await import('./sysinfo-fallback');
  return collectFallbackProcesses(signal);
}

/** Applies a hashing outcome. A failure replaces the status; a deleted file's history stays in the message. */
function withOutcome(record: ProcessRecord, outcome: HashOutcome | undefined): ProcessRecord {
  if (!outcome) return record;
  if (outcome.status === 'ok') return { ...record, hashes: outcome.hashes };
  const note = record.exeStatus === 'deleted' || record.exeStatus === 'memfd' ? `${record.exeStatus}; ` : '';
  return { ...record, exeStatus: outcome.status, exeError: `${note}${outcome.error}` };
}

/**
 * Owner package and integrity of each hashed executable. Only a file hashed at its own path is
 * compared: a deleted or memfd image is not the file the package installed (an upgraded package
 * would read as "modified").
 */
function withPackage(record: ProcessRecord, index: PackageVerifier | null): ProcessRecord {
  if (!index || !record.hashes || !record.exe || record.exeStatus !== 'ok') return record;
  const verdict = index.verify(record.exe, record.hashes.md5);
  return { ...record, package: verdict.package, integrity: verdict.integrity };
}

/** The dpkg check, brought up to date once per collection; null where there is no dpkg database. */
async function packageIndexFor(
  opts: CollectOptions,
  executables: Promise<readonly string[]>,
): Promise<PackageVerifier | null> {
  if (opts.packageIndex === null) return null;
  if (!opts.packageIndex && process.platform !== 'linux') return null;
  const index = opts.packageIndex ?? systemPackageIndex();
  return (await index.prepare(executables)) ? index : null;
}

/** The paths withPackage may look up: executables read at their own path. */
function checkablePaths(all: readonly CollectedProcess[], minMemoryPercent: number): string[] {
  const out = new Set<string>();
  for (const { record } of all)
    if (record.memoryPercent >= minMemoryPercent && record.exe && record.exeStatus === 'ok') out.add(record.exe);
  return [...out];
}

/** Executables this big start hashing during the scan when the cache is empty (see startEarly). */
export const EARLY_MIN_BYTES = 16 * 1024 * 1024;

/**
 * With an empty cache every file will be read: each big executable (the bulk of the bytes) starts
 * hashing as soon as the scan finds its first process, so the workers are busy while the rest of
 * /proc is read. Small files wait for the scan to end and are deduplicated as usual.
 */
function startEarly(
  opts: CollectOptions,
  pool: HashPool,
  early: Map<string, Promise<HashJobResult>>,
  signal?: AbortSignal,
): (p: CollectedProcess) => void {
  return ({ record, target }) => {
    if (!target || record.memoryPercent < opts.minMemoryPercent) return;
    const { id, paths } = target;
    if (id.size < EARLY_MIN_BYTES || id.size > opts.maxFileBytes) return;
    const key = fileIdentityKey(id);
    if (early.has(key)) return;
    const job = { paths, dev: id.dev, ino: id.ino, maxBytes: opts.maxFileBytes };
    early.set(key, pool.run(job, signal));
  };
}

export function compareRows(a: ProcessRecord, b: ProcessRecord): number {
  return b.memoryPercent - a.memoryPercent || a.pid - b.pid;
}

export async function collectProcesses(opts: CollectOptions): Promise<CollectResult> {
  const { signal, onProgress } = opts;
  const startedAt = new Date();
  const t0 = performance.now();
  try {
    signal?.throwIfAborted();
    onProgress?.({ phase: 'enumerating', done: 0, total: 0 });
    const pool = getHashPool(opts.workers);
    const hostFacts = getHostFacts();
    const early = new Map<string, Promise<HashJobResult>>();
    const enumerated = enumerate(
      signal,
      opts.hashCache.isEmpty?.() ? startEarly(opts, pool, early, signal) : undefined,
    );
    // Never rejects: a failed enumeration is reported through `enumerated` itself.
    const executables = enumerated.then(
      (all) => checkablePaths(all, opts.minMemoryPercent),
      () => [],
    );
    // The package check is only needed at the end: hashing does not wait for it.
    const packages = packageIndexFor(opts, executables);
    packages.catch(() => undefined);
    const [host, all] = await Promise.all([hostFacts, enumerated]);
    signal?.throwIfAborted();

    // Filter before hashing: a process the user asked to hide costs no disk reads.
    const kept = all.filter((p) => p.record.memoryPercent >= opts.minMemoryPercent);
    onProgress?.({ phase: 'enumerating', done: all.length, total: all.length });

    const hashed = await hashTargets({
      hostKey: host.hostKey,
      targets: kept.flatMap((p) => (p.target ? [p.target] : [])),
      cache: opts.hashCache,
      hash: (job, s) => pool.run(job, s),
      early,
      maxFileBytes: opts.maxFileBytes,
      onProgress: (done, total) => onProgress?.({ phase: 'hashing', done, total }),
      signal,
    });

    const index = await packages;
    const processes = kept
      .map((p) => withOutcome(p.record, p.target ? hashed.outcomes.get(fileIdentityKey(p.target.id)) : undefined))
      .map((r) => withPackage(r, index))
      .sort(compareRows);
    const distinct = new Set(processes.flatMap((p) => (p.hashes ? [p.hashes.sha256] : [])));
    onProgress?.({ phase: 'done', done: processes.length, total: processes.length });

    return {
      host,
      startedAt,
      processes,
      stats: {
        totalProcesses: all.length,
        processCount: processes.length,
        distinctExecutables: distinct.size,
        hashedFiles: hashed.hashedFiles,
        cacheHits: hashed.cacheHits,
        bytesRead: hashed.bytesRead,
        durationMs: Math.round(performance.now() - t0),
      },
    };
  } catch (error) {
    if (signal?.aborted) throw new CollectAbortedError({ cause: signal.reason });
    throw error;
  }
}
