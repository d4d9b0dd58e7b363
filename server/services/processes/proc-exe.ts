import 'server-only';
import fs from 'node:fs/promises';
import { identityFromStats, type HashTarget } from './collected';
import { classifyExeLink, errorCode, isGoneError, isKernelThread, type ProcStat } from './proc-parse';
import { PROC, readStat } from './proc-read';
import type { ExeStatus } from './types';

/**
 * Which executable a process runs, read from its /proc/PID/exe link: the path and its status
 * (deleted, memfd, no access, kernel thread…), and the inode to hash.
 */

type LinkResult = { target: string } | { error: unknown };

async function readExeLink(pid: number): Promise<LinkResult> {
  try {
    return { target: await fs.readlink(`${PROC}/${pid}/exe`) };
  } catch (error) {
    return { error };
  }
}

export interface ExeInfo {
  exe: string | null;
  exeStatus: ExeStatus;
  exeError: string | null;
  target: HashTarget | null;
  worldWritable?: boolean;
}

export const exeInfo = (exeStatus: ExeStatus, exeError: string | null, exe: string | null = null): ExeInfo => ({
  exe,
  exeStatus,
  exeError,
  target: null,
});

/** Returns null when the process vanished while being read: that is a normal outcome of a scan. */
export async function resolveExe(pid: number, stat: ProcStat, cmdline: Promise<string>): Promise<ExeInfo | null> {
  const procExe = `${PROC}/${pid}/exe`;
  const link = await readExeLink(pid);
  if ('error' in link) {
    const code = errorCode(link.error);
    if (code === 'EACCES' || code === 'EPERM') {
      return exeInfo('permission-denied', `${code}: no access to ${procExe} (needs the same user or ptrace rights)`);
    }
    if (code === 'ESRCH') return null;
    if (code !== 'ENOENT') return exeInfo('unknown', `${code} reading ${procExe}`);
    if (isKernelThread(stat)) return exeInfo('kernel-thread', null);
    // ENOENT for a user process: it exited (gone or zombie) or is an odd kernel task without the flag.
    const again = await readStat(pid);
    if (again === null) return null;
    if (again.state === 'Z' || stat.state === 'Z') {
      return exeInfo('unknown', 'zombie: exited, not yet reaped by its parent');
    }
    if ((await cmdline) === '') return exeInfo('kernel-thread', null);
    return exeInfo('unknown', `ENOENT reading ${procExe}`);
  }

  const { status, exe } = classifyExeLink(link.target);
  let st;
  try {
    // Follows the link to the inode the process runs, even when its path was deleted or replaced.
    st = await fs.stat(procExe, { bigint: true });
  } catch (error) {
    if (isGoneError(error) && (await readStat(pid)) === null) return null;
    const code = errorCode(error);
    if (code === 'EACCES' || code === 'EPERM') return exeInfo('permission-denied', `${code} on stat ${procExe}`, exe);
    return exeInfo('unreadable', `${code} on stat ${procExe}`, exe);
  }
  // A deleted or memfd file has no usable path; the live process's link still reaches the bytes.
  const paths = status === 'ok' ? [exe, procExe] : [procExe];
  return {
    exe,
    exeStatus: status,
    exeError: null,
    target: { id: identityFromStats(st), paths },
    // A regular file anyone may overwrite; memfd inodes are anonymous, their mode says nothing.
    worldWritable: status !== 'memfd' && (st.mode & 0o002n) !== 0n,
  };
}
