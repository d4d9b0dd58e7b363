import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CollectAbortedError, collectProcesses, EARLY_MIN_BYTES } from './collect';
import { shutdownHashPool } from './hash-pool';
import { PackageIndex } from './package-index';
import { createMemoryHashCache } from './memory-hash-cache';
import type { ProcessRecord } from './types';
import {
  children,
  copySleep,
  dir,
  options,
  recordingCache,
  setUpSleepCopies,
  start,
  stop,
  sums,
  untilDefined,
} from '@/tests/sleep-processes';

/** Against the real /proc of this machine: spawns copies of `sleep` and finds them in the results. */

const linux = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

setUpSleepCopies();
afterAll(() => shutdownHashPool());

const row = (rows: ProcessRecord[], pid: number): ProcessRecord | undefined => rows.find((p) => p.pid === pid);

describe.runIf(linux)('collectProcesses on Linux', () => {
  const cache = createMemoryHashCache();

  it('finds a running copy of sleep with its true path, user and the hashes coreutils computes', async () => {
    const file = copySleep();
    const child = await start(file);
    const result = await collectProcesses(options(cache));
    const mine = row(result.processes, child.pid);
    expect(mine).toMatchObject({
      ppid: process.pid,
      name: path.basename(file).slice(0, 15), // comm is at most 15 bytes
      user: os.userInfo().username,
      cmdline: `${file} 30`,
      exe: file,
      exeStatus: 'ok',
      exeError: null,
      hashes: { ...sums(file), size: fs.statSync(file).size },
    });
    expect(Math.abs((mine?.startedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(mine?.rssBytes).toBeGreaterThan(0);

    expect(result.host.hostKey).not.toBe('');
    expect(result.stats.totalProcesses).toBe(result.processes.length);
    const sorted = [...result.processes].sort((a, b) => b.memoryPercent - a.memoryPercent || a.pid - b.pid);
    expect(result.processes.map((p) => p.pid)).toEqual(sorted.map((p) => p.pid));
    for (const p of result.processes.filter((q) => q.exeStatus === 'kernel-thread')) {
      expect(p.exe).toBeNull();
      expect(p.hashes).toBeNull();
    }
    for (const p of result.processes.filter((q) => q.exeStatus === 'permission-denied')) {
      expect(p.exeError).toMatch(/^E(ACCES|PERM)/);
    }
    await stop(child);
  });

  it('with an empty cache, hashes a big executable found during the scan like coreutils', async () => {
    // This test's own process runs node (~100 MB): a file that starts hashing while /proc is read.
    const exe = fs.realpathSync(process.execPath);
    expect(fs.statSync(exe).size).toBeGreaterThanOrEqual(EARLY_MIN_BYTES);
    const result = await collectProcesses(options(createMemoryHashCache()));
    const self = row(result.processes, process.pid);
    expect(self).toMatchObject({ exe, exeStatus: 'ok', hashes: { ...sums(exe), size: fs.statSync(exe).size } });
  });

  it('names the owning package and flags a modified packaged binary, an unpackaged one, and /tmp', async () => {
    const modified = copySleep();
    const loose = copySleep();
    const info = fs.mkdtempSync(path.join(dir, 'dpkg-'));
    // The fixture package ships `modified` with the MD5 of the original sleep; the copy is then patched.
    fs.writeFileSync(path.join(info, 'fake-coreutils.md5sums'), `${sums(modified).md5}  ${modified.slice(1)}\n`);
    fs.appendFileSync(modified, Buffer.from('patched'));
    const [a, b] = [await start(modified), await start(loose)];
    const result = await collectProcesses(options(cache, { packageIndex: new PackageIndex(info) }));
    expect(row(result.processes, a.pid)).toMatchObject({ package: 'fake-coreutils', integrity: 'modified' });
    expect(row(result.processes, b.pid)).toMatchObject({ package: null, integrity: 'not-packaged' });
    if (dir.startsWith('/tmp/')) expect(row(result.processes, b.pid)?.heuristics).toContain('temp-dir');
    expect(row(result.processes, b.pid)?.effectiveUser).toBe(os.userInfo().username);
    // Kernel threads are never checked against a package.
    for (const p of result.processes.filter((q) => q.exeStatus === 'kernel-thread')) {
      expect(p).toMatchObject({ package: null, integrity: null, heuristics: [] });
    }
    await Promise.all([stop(a), stop(b)]);
  });

  it('verifies against the real dpkg database by default (Debian/Ubuntu)', async () => {
    if (!fs.existsSync('/var/lib/dpkg/info/coreutils.md5sums')) return;
    const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
    children.add(child);
    const pid = child.pid as number;
    await untilDefined('sleep to exec', () =>
      fs.existsSync(`/proc/${pid}/exe`) && fs.readlinkSync(`/proc/${pid}/exe`).endsWith('/sleep') ? true : undefined,
    );
    const result = await collectProcesses(options(cache));
    expect(row(result.processes, pid)).toMatchObject({ package: 'coreutils', integrity: 'matches', heuristics: [] });
    await stop(child);
  });

  it('hashes an executable deleted while it runs, through the running process', async () => {
    const file = copySleep();
    const before = sums(file);
    const child = await start(file);
    fs.unlinkSync(file);
    const result = await collectProcesses(options(cache));
    expect(row(result.processes, child.pid)).toMatchObject({ exe: file, exeStatus: 'deleted', hashes: before });
    await stop(child);
  });

  it('reads nothing again when nothing changed, and rehashes a rewritten executable', async () => {
    const file = copySleep();
    const first = await start(file);
    const recording = recordingCache(createMemoryHashCache());
    const r1 = await collectProcesses(options(recording.store));
    const hash1 = row(r1.processes, first.pid)?.hashes?.sha256;
    expect(hash1).toBe(sums(file).sha256);
    const knownAfterRun1 = new Set(recording.put); // a fresh cache: everything known was hashed in run 1

    recording.reset();
    const r2 = await collectProcesses(options(recording.store));
    expect(r2.stats.cacheHits).toBeGreaterThan(0);
    // Other processes may start in between; only executables never seen before may be read.
    const newFiles = recording.requested.filter((k) => !knownAfterRun1.has(k));
    expect(recording.put.filter((k) => knownAfterRun1.has(k))).toEqual([]);
    expect(r2.stats.hashedFiles).toBeLessThanOrEqual(newFiles.length);
    if (newFiles.length === 0) expect(r2.stats.hashedFiles).toBe(0);
    expect(row(r2.processes, first.pid)?.hashes?.sha256).toBe(hash1);

    await stop(first);
    fs.appendFileSync(file, Buffer.from('proclens: changed after the first run\n'));
    const second = await start(file);
    const r3 = await collectProcesses(options(recording.store));
    const hash3 = row(r3.processes, second.pid)?.hashes?.sha256;
    expect(hash3).not.toBe(hash1);
    expect(hash3).toBe(sums(file).sha256);
    expect(r3.stats.hashedFiles).toBeGreaterThanOrEqual(1);
    await stop(second);
  });

  it('keeps going while processes come and go during the scan', async () => {
    let spawned = 0;
    let stopChurn = false;
    const churn = (async () => {
      while (!stopChurn && spawned < 100) {
        const child = spawn('sleep', [`0.0${(spawned % 9) + 1}`], { stdio: 'ignore' });
        children.add(child);
        child.once('exit', () => children.delete(child));
        spawned++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      for (let i = 0; i < 3; i++) {
        const result = await collectProcesses(options(cache));
        expect(result.processes.length).toBeGreaterThan(0);
      }
    } finally {
      stopChurn = true;
      await churn;
    }
    expect(spawned).toBeGreaterThan(0);
  });

  it('lists a zombie without failing and without an executable', async () => {
    // The shell forks a short child, then becomes `sleep 30`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
    children.add(parent);
    const zombiePid = await untilDefined('a zombie child', () => {
      for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
        try {
          const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
          if (stat.includes(`) Z ${parent.pid} `)) return entry;
        } catch {
          // exited while scanning
        }
      }
      return undefined;
    });
    const result = await collectProcesses(options(cache));
    expect(row(result.processes, Number(zombiePid))).toMatchObject({
      state: 'Z',
      exe: null,
      exeStatus: 'unknown',
      exeError: expect.stringMatching(/zombie/),
      hashes: null,
    });
    await stop(parent);
  });

  it('applies the memory filter before hashing', async () => {
    const fresh = createMemoryHashCache();
    const result = await collectProcesses(options(fresh, { minMemoryPercent: 100 }));
    expect(result.processes).toEqual([]);
    expect(result.stats).toMatchObject({ processCount: 0, hashedFiles: 0, bytesRead: 0, distinctExecutables: 0 });
    expect(result.stats.totalProcesses).toBeGreaterThan(0);
  });

  it('reports progress and can be cancelled', async () => {
    const phases: string[] = [];
    await collectProcesses(options(cache, { onProgress: (p) => phases.push(p.phase) }));
    expect(phases[0]).toBe('enumerating');
    expect(phases).toContain('hashing');
    expect(phases.at(-1)).toBe('done');

    const controller = new AbortController();
    controller.abort();
    await expect(collectProcesses(options(cache, { signal: controller.signal }))).rejects.toBeInstanceOf(
      CollectAbortedError,
    );

    // Cancelled while hashing (fresh cache, so there is reading to do).
    const midway = new AbortController();
    const run = collectProcesses(
      options(createMemoryHashCache(), {
        signal: midway.signal,
        onProgress: (p) => p.phase === 'hashing' && midway.abort(),
      }),
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
