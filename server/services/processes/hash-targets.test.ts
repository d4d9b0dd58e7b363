import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityFromStats, type HashTarget } from './collected';
import { HashPool, type HashJob } from './hash-pool';
import { hashTargets, type HashTargetsInput } from './hash-targets';
import { createMemoryHashCache } from './memory-hash-cache';
import { fileIdentityKey } from './types';

let dir: string;
let pool: HashPool;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-cache-'));
  pool = new HashPool(2);
});

afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

function targetFor(file: string): HashTarget {
  return { id: identityFromStats(fs.statSync(file, { bigint: true })), paths: [file] };
}

/** The pool, with a record of every file actually read. */
function countingHash(): { hash: HashTargetsInput['hash']; reads: HashJob[] } {
  const reads: HashJob[] = [];
  return {
    reads,
    hash: (job, signal) => {
      reads.push(job);
      return pool.run(job, signal);
    },
  };
}

function input(
  targets: HashTarget[],
  extra: Partial<HashTargetsInput> & Pick<HashTargetsInput, 'cache' | 'hash'>,
): HashTargetsInput {
  return { hostKey: 'host-a', targets, maxFileBytes: 1024 * 1024, ...extra };
}

describe('hashTargets with a cache', () => {
  it('reads a file once, then not again until it changes', async () => {
    const file = path.join(dir, 'tool');
    fs.writeFileSync(file, 'version one');
    const cache = createMemoryHashCache();

    const first = countingHash();
    const r1 = await hashTargets(input([targetFor(file)], { cache, hash: first.hash }));
    expect(first.reads).toHaveLength(1);
    expect(r1).toMatchObject({ hashedFiles: 1, cacheHits: 0, bytesRead: 11 });
    const key1 = fileIdentityKey(targetFor(file).id);
    expect(r1.outcomes.get(key1)).toMatchObject({ status: 'ok', hashes: { sha256: sha256('version one') } });

    const unchanged = countingHash();
    const r2 = await hashTargets(input([targetFor(file)], { cache, hash: unchanged.hash }));
    expect(unchanged.reads).toHaveLength(0);
    expect(r2).toMatchObject({ hashedFiles: 0, cacheHits: 1, bytesRead: 0 });
    expect(r2.outcomes.get(key1)).toEqual(r1.outcomes.get(key1));

    // touch: same bytes, new mtime. The identity changed, so the file is read again.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    const touched = countingHash();
    const r3 = await hashTargets(input([targetFor(file)], { cache, hash: touched.hash }));
    expect(touched.reads).toHaveLength(1);
    expect(r3.hashedFiles).toBe(1);
    expect(r3.outcomes.get(fileIdentityKey(targetFor(file).id))).toMatchObject({
      hashes: { sha256: sha256('version one') },
    });

    // Same size, different content.
    fs.writeFileSync(file, 'version two');
    const changed = countingHash();
    const r4 = await hashTargets(input([targetFor(file)], { cache, hash: changed.hash }));
    expect(changed.reads).toHaveLength(1);
    expect(r4.outcomes.get(fileIdentityKey(targetFor(file).id))).toMatchObject({
      hashes: { sha256: sha256('version two') },
    });
  });

  it('reads a file shared by many processes once', async () => {
    const file = path.join(dir, 'shared');
    fs.writeFileSync(file, 'shared bytes');
    const counting = countingHash();
    const targets = Array.from({ length: 500 }, (_, i) => ({
      ...targetFor(file),
      paths: [`/proc/${100_000 + i}/exe`, file],
    }));
    const result = await hashTargets(input(targets, { cache: createMemoryHashCache(), hash: counting.hash }));
    expect(counting.reads).toHaveLength(1);
    expect(counting.reads[0]?.paths.length).toBeLessThanOrEqual(8);
    expect(result.hashedFiles).toBe(1);
    expect(result.outcomes.size).toBe(1);
  });

  it('keeps caches of different hosts apart', async () => {
    const file = path.join(dir, 'per-host');
    fs.writeFileSync(file, 'x');
    const cache = createMemoryHashCache();
    await hashTargets(input([targetFor(file)], { cache, hash: countingHash().hash }));
    const other = countingHash();
    await hashTargets(input([targetFor(file)], { cache, hash: other.hash, hostKey: 'host-b' }));
    expect(other.reads).toHaveLength(1);
  });

  it('lists too-large and unreadable files without failing, and caches neither', async () => {
    const bigFile = path.join(dir, 'big');
    fs.writeFileSync(bigFile, Buffer.alloc(4096));
    const gone = path.join(dir, 'gone');
    fs.writeFileSync(gone, 'soon gone');
    const goneTarget = targetFor(gone);
    fs.unlinkSync(gone);
    const cache = createMemoryHashCache();
    const putMany = vi.spyOn(cache, 'putMany');
    const counting = countingHash();

    const result = await hashTargets(
      input([targetFor(bigFile), goneTarget], { cache, hash: counting.hash, maxFileBytes: 1000 }),
    );
    expect(result.outcomes.get(fileIdentityKey(targetFor(bigFile).id))).toEqual({
      status: 'too-large',
      error: expect.stringMatching(/4096 bytes\) exceeds the .* limit/),
    });
    expect(result.outcomes.get(fileIdentityKey(goneTarget.id))).toEqual({
      status: 'unreadable',
      error: expect.stringMatching(/^ENOENT/),
    });
    expect(counting.reads.map((j) => j.paths[0])).toEqual([gone]); // the big one was never opened
    expect(result.hashedFiles).toBe(0);
    expect(putMany).not.toHaveBeenCalled();
  });

  it('reports progress over distinct files and stops when aborted', async () => {
    const files = ['p1', 'p2', 'p3'].map((name) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, name);
      return file;
    });
    const seen: Array<[number, number]> = [];
    await hashTargets(
      input(files.map(targetFor), {
        cache: createMemoryHashCache(),
        hash: countingHash().hash,
        onProgress: (done, total) => seen.push([done, total]),
      }),
    );
    expect(seen[0]).toEqual([0, 3]);
    expect(seen.at(-1)).toEqual([3, 3]);

    const controller = new AbortController();
    controller.abort();
    await expect(
      hashTargets(
        input(files.map(targetFor), {
          cache: createMemoryHashCache(),
          hash: countingHash().hash,
          signal: controller.signal,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('hashTargets with reads started during the scan', () => {
  it('uses a started read instead of reading again, and reads a failed one again with every path', async () => {
    const good = path.join(dir, 'early-good');
    const other = path.join(dir, 'early-other');
    fs.writeFileSync(good, 'started early');
    fs.writeFileSync(other, 'read late');
    const goodTarget = targetFor(good);
    // The early read of `other` used a path that vanished; the group also knows the real one.
    const missing = path.join(dir, 'early-missing');
    const otherTarget = { ...targetFor(other), paths: [missing, other] };
    const early = new Map([
      [fileIdentityKey(goodTarget.id), pool.run({ paths: [good], dev: null, ino: null, maxBytes: 1024 })],
      [fileIdentityKey(otherTarget.id), pool.run({ paths: [missing], dev: null, ino: null, maxBytes: 1024 })],
    ]);
    const counted = countingHash();
    const cache = createMemoryHashCache();
    expect(cache.isEmpty?.()).toBe(true);
    const r = await hashTargets(input([goodTarget, otherTarget], { cache, hash: counted.hash, early }));
    expect(counted.reads.map((j) => j.paths)).toEqual([[missing, other]]);
    expect(r).toMatchObject({ hashedFiles: 2, cacheHits: 0 });
    expect(r.outcomes.get(fileIdentityKey(goodTarget.id))).toMatchObject({
      hashes: { sha256: sha256('started early') },
    });
    expect(r.outcomes.get(fileIdentityKey(otherTarget.id))).toMatchObject({ hashes: { sha256: sha256('read late') } });
    expect(cache.isEmpty?.()).toBe(false);
  });
});
