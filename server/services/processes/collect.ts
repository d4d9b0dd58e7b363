import 'server-only';
import type { CollectedProcess } from './collected';
import { getHashPool } from './hash-pool';
import { hashTargets, type HashOutcome } from './hash-targets';
import { getHostFacts } from './host-facts';
import { systemPackageIndex, type PackageVerifier } from './package-index';
import { collectLinuxProcesses, procIsReadable } from './proc-linux';
import { fileIdentityKey, type CollectOptions, type CollectResult, type ProcessRecord } from './types';

/** Thrown when `signal` aborts a collection; `name` matches DOMException's so generic checks work. */
export class CollectAbortedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Process collection was cancelled', options);
    this.name = 'AbortError';
  }
}

async function enumerate(signal?: AbortSignal): Promise<CollectedProcess[]> {
  if (process.platform === 'linux' && (await procIsReadable())) return collectLinuxProcesses(signal);
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
    const enumerated = enumerate(signal);
    // Never rejects: a failed enumeration is reported through `enumerated` itself.
    const executables = enumerated.then(
      (all) => checkablePaths(all, opts.minMemoryPercent),
      () => [],
    );
    // The package check is only needed at the end: hashing does not wait for it.
    const packages = packageIndexFor(opts, executables);
    packages.catch(() => undefined);
    const [host, all] = await Promise.all([getHostFacts(), enumerated]);
    signal?.throwIfAborted();

    // Filter before hashing: a process the user asked to hide costs no disk reads.
    const kept = all.filter((p) => p.record.memoryPercent >= opts.minMemoryPercent);
    onProgress?.({ phase: 'enumerating', done: all.length, total: all.length });

    const pool = getHashPool(opts.workers);
    const hashed = await hashTargets({
      hostKey: host.hostKey,
      targets: kept.flatMap((p) => (p.target ? [p.target] : [])),
      cache: opts.hashCache,
      hash: (job, s) => pool.run(job, s),
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
