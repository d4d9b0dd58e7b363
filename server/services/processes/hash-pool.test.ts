import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from './hash-file';
import { Worker } from 'node:worker_threads';
import { HASH_CHUNK_BYTES } from './hash-job';
import { HashPool, type HashJob } from './hash-pool';
import { hashWorkerFromSource } from './hash-worker-from-source';
import type { FileHashes } from './types';

// Built at runtime (second half stored reversed) so this source file never carries the signature itself.
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + '*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE'.split('').reverse().join('');

const VECTORS: Array<{ name: string; content: () => Buffer; expected: Omit<FileHashes, 'size'> }> = [
  {
    name: 'empty',
    content: () => Buffer.alloc(0),
    expected: {
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    },
  },
  {
    name: 'abc',
    content: () => Buffer.from('abc'),
    expected: {
      md5: '900150983cd24fb0d6963f7d28e17f72',
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    },
  },
  {
    name: 'eicar',
    content: () => Buffer.from(EICAR, 'latin1'),
    expected: {
      md5: '44d88612fea8a8f36de82e1278abb02f',
      sha1: '3395856ce81f2b7382dee72602f798b642f14140',
      sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    },
  },
];

const HERE = path.dirname(fileURLToPath(import.meta.url));

const job = (file: string, maxBytes = Number.MAX_SAFE_INTEGER): HashJob => ({
  paths: [file],
  dev: null,
  ino: null,
  maxBytes,
});

let dir: string;
let pool: HashPool;
const files = new Map<string, string>();
let big: { file: string; expected: FileHashes };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-hash-'));
  for (const v of VECTORS) {
    const file = path.join(dir, v.name);
    fs.writeFileSync(file, v.content());
    files.set(v.name, file);
  }
  // Not a multiple of the chunk size, so the last read is partial and boundaries are crossed.
  const data = randomBytes(20 * 1024 * 1024 + 12_345);
  const bigFile = path.join(dir, 'big.bin');
  fs.writeFileSync(bigFile, data);
  const digest = (alg: string): string => createHash(alg).update(data).digest('hex');
  big = {
    file: bigFile,
    expected: { md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256'), size: data.length },
  };
  pool = new HashPool(2);
});

afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('one-pass hashing', () => {
  it('builds the 68-byte EICAR test string', () => {
    expect(EICAR).toHaveLength(68);
  });

  for (const v of VECTORS) {
    it(`matches the known vectors for ${v.name} (worker and main thread)`, async () => {
      const file = files.get(v.name) as string;
      const size = v.content().length;
      expect(await pool.run(job(file))).toEqual({ kind: 'ok', hashes: { ...v.expected, size } });
      expect(await hashFile(file)).toEqual({ ...v.expected, size });
    });
  }

  it('hashes a ~20 MB random file exactly like hashing the whole buffer', async () => {
    expect(big.expected.size).toBeGreaterThan(4 * HASH_CHUNK_BYTES);
    expect(await pool.run(job(big.file))).toEqual({ kind: 'ok', hashes: big.expected });
    expect(await hashFile(big.file)).toEqual(big.expected);
  });
});

describe('HashPool', () => {
  it('hashes many files concurrently with the right result for each', async () => {
    const names = [...files.keys()];
    const results = await Promise.all([...names, ...names, ...names].map((n) => pool.run(job(files.get(n) as string))));
    results.forEach((r, i) => {
      const vector = VECTORS.find((v) => v.name === names[i % names.length]);
      expect(r.kind === 'ok' && r.hashes.sha256).toBe(vector?.expected.sha256);
    });
  });

  it('reports a file over the limit as too large without reading it', async () => {
    expect(await pool.run(job(big.file, 1024))).toEqual({ kind: 'too-large', size: big.expected.size });
  });

  it('reports read errors with their code and falls back to the next path', async () => {
    const missing = path.join(dir, 'missing');
    const result = await pool.run(job(missing));
    expect(result).toMatchObject({ kind: 'error', code: 'ENOENT' });
    const fallback = await pool.run({ ...job(missing), paths: [missing, files.get('abc') as string] });
    expect(fallback.kind === 'ok' && fallback.hashes.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('refuses a file whose identity changed since it was listed', async () => {
    const st = fs.statSync(files.get('abc') as string, { bigint: true });
    const wrong = await pool.run({ ...job(files.get('abc') as string), dev: st.dev.toString(), ino: `${st.ino + 1n}` });
    expect(wrong).toMatchObject({ kind: 'error', code: 'ECHANGED' });
    const right = await pool.run({
      ...job(files.get('abc') as string),
      dev: st.dev.toString(),
      ino: st.ino.toString(),
    });
    expect(right.kind).toBe('ok');
  });

  it('survives a crashing worker: that file fails, the rest still hash', async () => {
    // Registered before the real listener; exiting the thread stops it before any reply is sent.
    const crashing = `require('node:worker_threads').parentPort.on('message', (job) => {
      if (job.paths.some((p) => p.includes('crash-me'))) process.exit(7);
    });\n${hashWorkerFromSource()}`;
    const fragile = new HashPool(1, () => new Worker(crashing, { eval: true }));
    try {
      const abc = files.get('abc') as string;
      const [crashed, after] = await Promise.all([fragile.run(job(path.join(dir, 'crash-me'))), fragile.run(job(abc))]);
      expect(crashed).toMatchObject({ kind: 'error', code: 'EWORKER', message: expect.stringMatching(/code 7/) });
      expect(after.kind === 'ok' && after.hashes.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
    } finally {
      await fragile.close();
    }
  });

  it('drops queued work when aborted and answers nothing after close', async () => {
    const small = new HashPool(1);
    const controller = new AbortController();
    const first = small.run(job(big.file));
    const queued = small.run(job(big.file), controller.signal);
    controller.abort();
    expect(await queued).toMatchObject({ kind: 'error', code: 'ABORT_ERR' });
    expect((await first).kind).toBe('ok');
    await small.close();
    expect(await small.run(job(big.file))).toMatchObject({ kind: 'error', code: 'EPOOLCLOSED' });
  });
});

describe('process lifetime', () => {
  // No shutdownHashPool() in these scripts: an idle pool must not hold the process; the timeout catches a hang.
  const runScript = (name: string, body: string): string => {
    const script = path.join(dir, name);
    const poolModule = path.join(HERE, 'hash-pool.ts');
    fs.writeFileSync(script, `import { getHashPool, prewarmHashPool } from ${JSON.stringify(poolModule)};\n${body}\n`);
    return execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
      cwd: path.resolve(HERE, '../../..'),
      timeout: 30_000,
      encoding: 'utf8',
    }).trim();
  };
  const bigJob = () => JSON.stringify({ paths: [big.file], dev: null, ino: null, maxBytes: 1e12 });

  it('keeps a CLI alive while hashing and lets it exit afterwards without shutdown', () => {
    const body = `const result = await getHashPool(2).run(${bigJob()});
console.log(result.kind === 'ok' ? result.hashes.sha256 : result.kind);`;
    expect(runScript('lifetime.mts', body)).toBe(big.expected.sha256);
  });

  it('boots prewarmed workers without keeping an idle CLI alive, and hashes with them', () => {
    expect(runScript('prewarm-only.mts', 'prewarmHashPool(2); console.log(getHashPool(2).size);')).toBe('2');
    const body = `prewarmHashPool(2);
const result = await getHashPool(2).run(${bigJob()});
console.log(result.kind === 'ok' ? result.hashes.md5 : result.kind);`;
    expect(runScript('prewarm-run.mts', body)).toBe(big.expected.md5);
  });
});
