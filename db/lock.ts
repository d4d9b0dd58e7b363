import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ProcLensError } from '@/domain/errors';

/**
 * PGlite has no lock of its own: two processes on one data folder lose writes and corrupt it. This
 * file lock makes the embedded database single-process. The holder records who it is, so a second
 * server refuses with a clear message and the CLI can hand its work to a running server instead.
 */
export interface LockInfo {
  pid: number;
  /** Start time of the holder (from /proc), so a reused PID is not mistaken for the holder. */
  pidStart: string | null;
  kind: 'server' | 'cli';
  /** Where a server holder answers (the CLI pushes runs there). */
  url: string | null;
  /** Shared secret for local hand-over; the file is 0600, so only its owner (and root) can read it. */
  token: string;
  acquiredAt: string;
}

/** Another process holds the data directory: this one cannot use the database now. */
export class DataDirLockedError extends ProcLensError {
  constructor(
    readonly holder: LockInfo,
    readonly lockPath: string,
  ) {
    super(
      'unavailable',
      holder.kind === 'server'
        ? `The data directory is in use by a ProcLens server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}). ` +
            `Stop it or give this process another DATA_DIR.`
        : `The data directory is in use by the ProcLens CLI (pid ${holder.pid}). Wait for it to finish or use another DATA_DIR.`,
    );
  }
}

export function lockPathFor(dataDir: string): string {
  return path.join(dataDir, 'proclens.lock');
}

function procStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(info: LockInfo): boolean {
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (info.pidStart === null) return true;
  const now = procStartTime(info.pid);
  return now === null || now === info.pidStart;
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockPathFor(dataDir), 'utf8')) as LockInfo;
    return isAlive(info) ? info : null;
  } catch {
    return null;
  }
}

export interface HeldLock {
  info: LockInfo;
  path: string;
  release(): void;
}

export function acquireLock(dataDir: string, kind: LockInfo['kind'], url: string | null = null): HeldLock {
  // DATA_DIR is private (see data-dir.ts); the opener has already checked an existing one.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPathFor(dataDir);
  const info: LockInfo = {
    pid: process.pid,
    pidStart: procStartTime(process.pid),
    kind,
    url,
    token: crypto.randomBytes(24).toString('base64url'),
    acquiredAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeFileSync(fd, JSON.stringify(info));
      fs.closeSync(fd);
      let released = false;
      const held: HeldLock = {
        info,
        path: file,
        release() {
          if (released) return;
          released = true;
          try {
            const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
            if (current.pid === info.pid && current.token === info.token) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
          process.off('exit', held.release);
        },
      };
      // Whatever way the process ends, a clean exit frees the data directory.
      process.once('exit', held.release);
      return held;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dataDir);
      if (holder) throw new DataDirLockedError(holder, file);
      // The holder died without cleaning up: the lock is stale.
      try {
        fs.unlinkSync(file);
      } catch {
        /* someone else removed it first */
      }
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

/** A server learns its URL after listening; the CLI reads it from the lock to hand runs over. */
export function updateLockUrl(lock: HeldLock, url: string): void {
  lock.info.url = url;
  const tmp = `${lock.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock.info), { mode: 0o600 });
  fs.renameSync(tmp, lock.path);
}
