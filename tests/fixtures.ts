import crypto from 'node:crypto';
import { blankProcess } from '@/domain/process';
import type { Snapshot } from '@/server/services/runs/snapshot';

const h = (alg: string, s: string) => crypto.createHash(alg).update(s).digest('hex');

export function fakeHashes(seed: string) {
  return { md5: h('md5', seed), sha1: h('sha1', seed), sha256: h('sha256', seed), size: 1000 + seed.length };
}

/** A snapshot as a collector would send it: `n` processes sharing `distinct` executables. */
export function makeSnapshot(
  opts: { n?: number; distinct?: number; hostKey?: string; hostname?: string } = {},
): Snapshot {
  const n = opts.n ?? 5;
  const distinct = opts.distinct ?? 3;
  // An older collector's process: the facts added later (effective user, package…) not recorded.
  const processes: Snapshot['processes'] = Array.from({ length: n }, (_, i) => ({
    ...blankProcess('ok'),
    pid: 100 + i,
    ppid: 1,
    name: `proc-${i}`,
    user: i % 2 ? 'root' : 'alice',
    state: 'S',
    startedAt: new Date('2026-11-24T10:00:00Z'),
    rssBytes: 1_000_000 * (n - i),
    memoryPercent: (n - i) / 10,
    cpuPercent: 0.5,
    cmdline: `/usr/bin/proc-${i % distinct} --flag`,
    exe: `/usr/bin/proc-${i % distinct}`,
    exeStatus: 'ok',
    exeError: null,
    hashes: fakeHashes(`exe-${i % distinct}`),
  }));
  processes.push({
    ...blankProcess('kernel-thread'),
    pid: 2,
    ppid: 0,
    name: 'kthreadd',
    user: 'root',
    state: 'S',
    startedAt: null,
    rssBytes: 0,
    memoryPercent: 0,
    cpuPercent: 0,
    cmdline: '',
    exe: null,
    exeStatus: 'kernel-thread',
    exeError: null,
    hashes: null,
  });
  return {
    host: {
      hostKey: opts.hostKey ?? 'machine-test-1',
      hostname: opts.hostname ?? 'test-host',
      platform: 'linux',
      distro: 'Debian GNU/Linux',
      release: '12',
      kernel: '6.1.0',
      arch: 'x64',
      totalMemoryBytes: 8 * 1024 ** 3,
      cpuModel: 'Test CPU',
      cpuCores: 2,
    },
    startedAt: new Date('2026-11-24T10:00:05Z'),
    minMemoryPercent: 0,
    stats: {
      totalProcesses: n + 1,
      processCount: n + 1,
      distinctExecutables: distinct,
      hashedFiles: distinct,
      cacheHits: 0,
      bytesRead: 12345,
      durationMs: 321,
    },
    processes,
  };
}
