import type { HashTarget } from './collected';
import type { HashJob, HashJobResult } from './hash-pool';
import { fileIdentityKey, type FileHashes, type HashCacheStore } from './types';

/**
 * The cache-then-hash step: each distinct file identity is looked up once, and only misses are read,
 * however many processes share the file. Pure with respect to I/O: the reader is injected.
 */

export type HashOutcome = { status: 'ok'; hashes: FileHashes } | { status: 'too-large' | 'unreadable'; error: string };

export interface HashTargetsInput {
  hostKey: string;
  targets: readonly HashTarget[];
  cache: HashCacheStore;
  hash: (job: HashJob, signal?: AbortSignal) => Promise<HashJobResult>;
  /**
   * Reads already started for some identities (by fileIdentityKey), from the first paths seen. A
   * failed one is read again with every path of its group.
   */
  early?: ReadonlyMap<string, Promise<HashJobResult>>;
  maxFileBytes: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface HashTargetsResult {
  /** By fileIdentityKey. */
  outcomes: Map<string, HashOutcome>;
  hashedFiles: number;
  cacheHits: number;
  bytesRead: number;
}

// Enough fallbacks to survive a few processes exiting; 500 copies of bash need not ship 500 paths.
const MAX_PATHS_PER_FILE = 8;

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

export function tooLargeMessage(size: number, limit: number): string {
  return `${mib(size)} (${size} bytes) exceeds the ${mib(limit)} hashing limit (HASH_MAX_FILE_MB)`;
}

/** Merges targets that share an identity, keeping the first-seen paths first. */
export function groupTargets(targets: readonly HashTarget[]): Map<string, HashTarget> {
  const groups = new Map<string, HashTarget>();
  for (const target of targets) {
    const key = fileIdentityKey(target.id);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { id: target.id, paths: [...target.paths] });
      continue;
    }
    for (const path of target.paths) {
      if (group.paths.length >= MAX_PATHS_PER_FILE) break;
      if (!group.paths.includes(path)) group.paths.push(path);
    }
  }
  return groups;
}

export async function hashTargets(input: HashTargetsInput): Promise<HashTargetsResult> {
  const { hostKey, cache, maxFileBytes, signal } = input;
  signal?.throwIfAborted();
  const groups = groupTargets(input.targets);
  const ids = [...groups.values()].map((g) => g.id);
  const outcomes = new Map<string, HashOutcome>();
  const total = groups.size;
  let done = 0;
  const progress = (): void => input.onProgress?.(done, total);

  const cached = ids.length > 0 ? await cache.getMany(hostKey, ids) : new Map<string, FileHashes>();
  for (const [key, hashes] of cached) {
    if (!groups.has(key)) continue;
    outcomes.set(key, { status: 'ok', hashes });
    done++;
  }
  const cacheHits = done;
  progress();

  let hashedFiles = 0;
  let bytesRead = 0;
  const fresh: Array<{ id: HashTarget['id']; hashes: FileHashes }> = [];
  // Largest first: the pool's workers then finish together instead of one ending on a big file alone.
  const misses = [...groups].filter(([key]) => !outcomes.has(key)).sort(([, a], [, b]) => b.id.size - a.id.size);

  await Promise.all(
    misses.map(async ([key, group]) => {
      const outcome = await hashOne(group, maxFileBytes, input.hash, signal, input.early?.get(key));
      signal?.throwIfAborted();
      outcomes.set(key, outcome.outcome);
      if (outcome.outcome.status === 'ok') {
        hashedFiles++;
        bytesRead += outcome.bytesRead;
        fresh.push({ id: group.id, hashes: outcome.outcome.hashes });
      }
      done++;
      progress();
    }),
  );
  signal?.throwIfAborted();

  if (fresh.length > 0) await cache.putMany(hostKey, fresh);
  return { outcomes, hashedFiles, cacheHits, bytesRead };
}

async function hashOne(
  group: HashTarget,
  maxFileBytes: number,
  hash: HashTargetsInput['hash'],
  signal?: AbortSignal,
  early?: Promise<HashJobResult>,
): Promise<{ outcome: HashOutcome; bytesRead: number }> {
  // The identity's size comes from the scan; checking it first avoids even opening a huge file.
  if (group.id.size > maxFileBytes) {
    return { outcome: { status: 'too-large', error: tooLargeMessage(group.id.size, maxFileBytes) }, bytesRead: 0 };
  }
  let result = early ? await early : undefined;
  if (result === undefined || result.kind === 'error')
    result = await hash({ paths: group.paths, dev: group.id.dev, ino: group.id.ino, maxBytes: maxFileBytes }, signal);
  switch (result.kind) {
    case 'ok':
      return { outcome: { status: 'ok', hashes: result.hashes }, bytesRead: result.hashes.size };
    case 'too-large':
      return { outcome: { status: 'too-large', error: tooLargeMessage(result.size, maxFileBytes) }, bytesRead: 0 };
    default:
      // Node's messages already start with the code ("EACCES: permission denied, open ...").
      return {
        outcome: {
          status: 'unreadable',
          error: result.message.startsWith(result.code) ? result.message : `${result.code}: ${result.message}`,
        },
        bytesRead: 0,
      };
  }
}
