import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  fileIdentityKey,
  type CollectOptions,
  type FileHashes,
  type HashCacheStore,
} from '@/server/services/processes/types';

/**
 * Real processes for the collector's tests (server/services/processes/collect.test.ts): private
 * copies of `sleep`, started and stopped, their hashes as coreutils computes them, and a hash
 * cache that records what it was asked.
 */

/** Every child started here, until it exits; the rest are killed after the file. */
export const children = new Set<ChildProcess>();
/** A private folder for the copies (live binding: set before the tests run). */
export let dir: string;

/** Makes the folder before the file's tests, and kills what is left and removes the folder after. */
export function setUpSleepCopies(): void {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-collect-'));
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

export function options(hashCache: HashCacheStore, extra: Partial<CollectOptions> = {}): CollectOptions {
  return { minMemoryPercent: 0, hashCache, maxFileBytes: 2 ** 31, workers: 2, ...extra };
}

export function sums(file: string): Omit<FileHashes, 'size'> {
  const sum = (tool: string): string => execFileSync(tool, [file], { encoding: 'utf8' }).split(' ')[0] as string;
  return { md5: sum('md5sum'), sha1: sum('sha1sum'), sha256: sum('sha256sum') };
}

export async function untilDefined<T>(what: string, probe: () => T | undefined, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function copySleep(): string {
  const file = path.join(dir, `pl-sleep-${randomBytes(6).toString('hex')}`);
  fs.copyFileSync('/bin/sleep', file);
  fs.chmodSync(file, 0o755);
  return file;
}

/** Starts `file 30` and waits until the kernel shows it running that file (exec has happened). */
export async function start(file: string): Promise<ChildProcess & { pid: number }> {
  const child = spawn(file, ['30'], { stdio: 'ignore' });
  children.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${file}`);
  await untilDefined(`${file} to exec`, () => {
    try {
      return fs.readlinkSync(`/proc/${pid}/exe`) === file ? true : undefined;
    } catch {
      return undefined;
    }
  });
  return child as ChildProcess & { pid: number };
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
}

/** Wraps a store to see which identities were asked for and which were written. */
export function recordingCache(inner: HashCacheStore): {
  store: HashCacheStore;
  requested: string[];
  put: string[];
  reset: () => void;
} {
  const state = { requested: [] as string[], put: [] as string[] };
  return {
    get requested() {
      return state.requested;
    },
    get put() {
      return state.put;
    },
    reset() {
      state.requested = [];
      state.put = [];
    },
    store: {
      getMany(hostKey, ids) {
        state.requested.push(...ids.map(fileIdentityKey));
        return inner.getMany(hostKey, ids);
      },
      putMany(hostKey, entries) {
        state.put.push(...entries.map((e) => fileIdentityKey(e.id)));
        return inner.putMany(hostKey, entries);
      },
    },
  };
}
