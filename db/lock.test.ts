import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '@/tests/helpers';
import { acquireLock, DataDirLockedError, lockPathFor, readLock } from './lock';

describe('data directory lock', () => {
  it('refuses a second holder with a message naming the holder', () => {
    const dir = tempDataDir();
    const first = acquireLock(dir, 'server', 'http://127.0.0.1:3000');
    try {
      expect(() => acquireLock(dir, 'server')).toThrow(DataDirLockedError);
      expect(() => acquireLock(dir, 'cli')).toThrow(
        /in use by a ProcLens server \(pid \d+, http:\/\/127\.0\.0\.1:3000\)/,
      );
      expect(readLock(dir)?.kind).toBe('server');
    } finally {
      first.release();
    }
    expect(fs.existsSync(lockPathFor(dir))).toBe(false);
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tempDataDir();
    // A pid that surely exited: a child that has already finished.
    const dead = spawnSync('true').pid!;
    fs.writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: dead, pidStart: '1', kind: 'server', url: null, token: 'x', acquiredAt: '' }),
    );
    expect(readLock(dir)).toBeNull();
    const held = acquireLock(dir, 'cli');
    expect(held.info.pid).toBe(process.pid);
    held.release();
  });

  it('writes the lock readable by its owner only (it holds a hand-over token)', () => {
    const dir = tempDataDir();
    const held = acquireLock(dir, 'server');
    expect(fs.statSync(lockPathFor(dir)).mode & 0o777).toBe(0o600);
    held.release();
  });
});
