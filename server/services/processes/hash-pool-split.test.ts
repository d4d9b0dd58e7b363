import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashPool, SPLIT_MIN_BYTES, type HashJob } from './hash-pool';
import { SPLIT_SLOT_BYTES, SPLIT_SLOTS, WORKER_SOURCE } from './hash-worker-source';
import type { FileHashes } from './types';

/**
 * Split jobs: a file of at least SPLIT_MIN_BYTES, given its size, with two free workers, is read once
 * by a leader (SHA-1 + SHA-256) while a follower computes MD5 of the same shared slots.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));

let dir: string;
let big: { file: string; expected: FileHashes };
let small: string;

const bigJob = (overrides: Partial<HashJob> = {}): HashJob => ({
  paths: [big.file],
  dev: null,
  ino: null,
  maxBytes: Number.MAX_SAFE_INTEGER,
  size: big.expected.size,
  ...overrides,
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-split-'));
  // Several turns of the ring, and a partial last slot.
  const data = randomBytes(SPLIT_MIN_BYTES + 3 * SPLIT_SLOTS * SPLIT_SLOT_BYTES + 777);
  const file = path.join(dir, 'big.bin');
  fs.writeFileSync(file, data);
  const digest = (alg: string): string => createHash(alg).update(data).digest('hex');
  big = { file, expected: { md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256'), size: data.length } };
  small = path.join(dir, 'abc');
  fs.writeFileSync(small, 'abc');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withPool<T>(size: number, fn: (pool: HashPool) => Promise<T>, source?: string): Promise<T> {
  const pool = new HashPool(size, source);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

/**
 * A worker that exits (code 7) on the third `update` of `alg` while it works on a `part` job, once:
 * the marker file is removed as it crashes, so the fresh worker that replaces it behaves.
 */
function crashingSource(part: 'leader' | 'follower', alg: string, marker: string): string {
  return `{
const crypto = require('node:crypto');
const fs = require('node:fs');
const realCreateHash = crypto.createHash;
let armed = false;
let updates = 0;
crypto.createHash = function (name) {
  const hash = realCreateHash(name);
  if (name !== ${JSON.stringify(alg)}) return hash;
  const update = hash.update.bind(hash);
  hash.update = function (data) {
    if (armed && ++updates === 3 && fs.existsSync(${JSON.stringify(marker)})) {
      fs.unlinkSync(${JSON.stringify(marker)});
      process.exit(7);
    }
    return update(data);
  };
  return hash;
};
require('node:worker_threads').parentPort.on('message', (job) => {
  armed = job.part === ${JSON.stringify(part)};
});
}
${WORKER_SOURCE}`;
}

/** A worker whose third read of a `crash-read` file fails with EIO, once (the marker is removed). */
function failingReadSource(marker: string): string {
  return `{
const fs = require('node:fs');
const realReadSync = fs.readSync;
let reads = 0;
let current = null;
fs.readSync = function (fd) {
  if (current && current.includes('flaky') && ++reads === 3 && fs.existsSync(${JSON.stringify(marker)})) {
    fs.unlinkSync(${JSON.stringify(marker)});
    const error = new Error('EIO: i/o error, read');
    error.code = 'EIO';
    throw error;
  }
  return realReadSync.apply(fs, arguments);
};
require('node:worker_threads').parentPort.on('message', (job) => {
  current = job.paths ? job.paths[0] : null;
  reads = 0;
});
}
${WORKER_SOURCE}`;
}

describe('split jobs', () => {
  it('hashes a big file on two workers exactly like hashing the whole buffer', async () => {
    await withPool(2, async (pool) => {
      expect(await pool.run(bigJob())).toEqual({ kind: 'ok', hashes: big.expected });
      expect(pool.splitJobs).toBe(1);
      expect(pool.busyWorkers).toBe(0);
    });
  });

  it('splits only the last big file: two at once run whole, one per worker', async () => {
    await withPool(2, async (pool) => {
      const both = await Promise.all([pool.run(bigJob()), pool.run(bigJob())]);
      expect(both).toEqual([
        { kind: 'ok', hashes: big.expected },
        { kind: 'ok', hashes: big.expected },
      ]);
      expect(pool.splitJobs).toBe(0);
      expect(await pool.run(bigJob())).toEqual({ kind: 'ok', hashes: big.expected });
      expect(pool.splitJobs).toBe(1);
    });
  });

  it("gives the same digests as coreutils' md5sum, sha1sum and sha256sum", async () => {
    const coreutils = (tool: string) => execFileSync(tool, ['--', big.file], { encoding: 'utf8' }).split(' ')[0];
    await withPool(2, async (pool) => {
      const result = await pool.run(bigJob());
      expect(result).toEqual({
        kind: 'ok',
        hashes: {
          md5: coreutils('md5sum'),
          sha1: coreutils('sha1sum'),
          sha256: coreutils('sha256sum'),
          size: big.expected.size,
        },
      });
    });
  });

  it('hashes several big and small files at once, each right, reusing the rings', async () => {
    await withPool(3, async (pool) => {
      const jobs = [
        bigJob(),
        bigJob(),
        { ...bigJob(), paths: [small], size: 3 },
        bigJob(),
        bigJob({ size: undefined }),
      ];
      const results = await Promise.all(jobs.map((j) => pool.run(j)));
      for (const [i, r] of results.entries()) {
        if (i === 2) expect(r.kind === 'ok' && r.hashes.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
        else expect(r).toEqual({ kind: 'ok', hashes: big.expected });
      }
    });
  });

  it('falls back to the next path, refuses a replaced file and a file over the limit', async () => {
    const missing = path.join(dir, 'missing');
    const st = fs.statSync(big.file, { bigint: true });
    await withPool(2, async (pool) => {
      expect(await pool.run(bigJob({ paths: [missing, big.file] }))).toEqual({ kind: 'ok', hashes: big.expected });
      expect(await pool.run(bigJob({ dev: st.dev.toString(), ino: `${st.ino + 1n}` }))).toMatchObject({
        kind: 'error',
        code: 'ECHANGED',
      });
      expect(await pool.run(bigJob({ maxBytes: 1024 }))).toEqual({ kind: 'too-large', size: big.expected.size });
      expect(await pool.run(bigJob({ paths: [missing] }))).toMatchObject({ kind: 'error', code: 'ENOENT' });
      // Every refusal freed both halves: the next split job runs and is right.
      expect(await pool.run(bigJob({ dev: st.dev.toString(), ino: st.ino.toString() }))).toEqual({
        kind: 'ok',
        hashes: big.expected,
      });
    });
  });

  it('starts over on the next path when a read fails mid-file (the follower drops what it had)', async () => {
    const marker = path.join(dir, 'read-fails-once');
    fs.writeFileSync(marker, '');
    const flaky = path.join(dir, 'flaky');
    fs.linkSync(big.file, flaky);
    await withPool(
      2,
      async (pool) => {
        expect(await pool.run(bigJob({ paths: [flaky, big.file] }))).toEqual({ kind: 'ok', hashes: big.expected });
        expect(fs.existsSync(marker)).toBe(false);
      },
      failingReadSource(marker),
    );
  });

  for (const [part, alg] of [
    ['leader', 'sha1'],
    ['follower', 'md5'],
  ] as const) {
    it(`fails only that file when the ${part} crashes mid-file; its partner is freed at once`, async () => {
      const marker = path.join(dir, `crash-${part}`);
      fs.writeFileSync(marker, '');
      await withPool(
        2,
        async (pool) => {
          const [crashed, other] = await Promise.all([
            pool.run(bigJob()),
            pool.run({ ...bigJob(), paths: [small], size: 3 }),
          ]);
          expect(crashed).toMatchObject({ kind: 'error', code: 'EWORKER', message: expect.stringMatching(/code 7/) });
          expect(fs.existsSync(marker)).toBe(false);
          expect(other.kind === 'ok' && other.hashes.sha1).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
          // The surviving half saw the abandon flag (its stall timeout is minutes): both workers idle.
          await expect.poll(() => pool.busyWorkers, { timeout: 10_000 }).toBe(0);
          expect(await pool.run(bigJob())).toEqual({ kind: 'ok', hashes: big.expected });
        },
        crashingSource(part, alg, marker),
      );
    });
  }

  it('answers a split job in progress with "shut down" on close, without hanging', async () => {
    const pool = new HashPool(2);
    const running = pool.run(bigJob());
    // Dispatched once the current task's jobs are queued: both workers then hold the file.
    await Promise.resolve();
    expect(pool.busyWorkers).toBe(2);
    await pool.close();
    expect(await running).toMatchObject({ kind: 'error', code: 'EPOOLCLOSED' });
  });

  it('hashes a big file whole when only one worker is free', async () => {
    await withPool(1, async (pool) => {
      expect(await pool.run(bigJob())).toEqual({ kind: 'ok', hashes: big.expected });
    });
  });
});

describe('prewarm', () => {
  const runScript = (name: string, body: string): string => {
    const script = path.join(dir, name);
    const poolModule = path.join(HERE, 'hash-pool.ts');
    fs.writeFileSync(script, `import { prewarmHashPool, getHashPool } from ${JSON.stringify(poolModule)};\n${body}\n`);
    // No shutdownHashPool(): an idle pool must not hold the process; the timeout catches a hang.
    return execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
      cwd: path.resolve(HERE, '../../..'),
      timeout: 30_000,
      encoding: 'utf8',
    }).trim();
  };

  it('boots the workers without keeping an idle CLI alive', () => {
    expect(runScript('prewarm-only.mts', `prewarmHashPool(2); console.log(getHashPool(2).size);`)).toBe('2');
  });

  it('hashes with prewarmed workers, then lets the process exit', () => {
    const body = `prewarmHashPool(2);
const result = await getHashPool(2).run(${JSON.stringify(bigJob())});
console.log(result.kind === 'ok' ? result.hashes.md5 : result.kind);`;
    expect(runScript('prewarm-run.mts', body)).toBe(big.expected.md5);
  });
});
