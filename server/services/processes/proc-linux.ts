import 'server-only';
import fs from 'node:fs/promises';
import type { CollectedProcess } from './collected';
import { mapLimit } from './concurrency';
import { scanContext, type ScanContext } from './proc-context';
import { exeInfo, resolveExe } from './proc-exe';
import { isKernelThread } from './proc-parse';
import { kernelThreadUsers, PROC, readCmdline, readStat, readUsers, userNames } from './proc-read';
import { detectHeuristics } from '@/domain/heuristics';
import type { ProcessRecord } from './types';

/**
 * The Linux fast path: everything comes from /proc with plain file reads, never a child process per
 * PID, so a host with thousands of processes is enumerated in well under a second.
 */

const CONCURRENCY = 64;

/** True when /proc looks like a Linux procfs this collector can use. */
export async function procIsReadable(): Promise<boolean> {
  try {
    await fs.access(`${PROC}/self/stat`, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** `onProcess` sees each process as soon as it is read (in no particular order). */
export async function collectLinuxProcesses(
  signal?: AbortSignal,
  onProcess?: (p: CollectedProcess) => void,
): Promise<CollectedProcess[]> {
  const [ctx, entries] = await Promise.all([scanContext(), fs.readdir(PROC)]);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const rows = await mapLimit(
    pids,
    CONCURRENCY,
    async (pid) => {
      const row = await readProcess(pid, ctx);
      if (row) onProcess?.(row);
      return row;
    },
    signal,
  );
  return rows.filter((r): r is CollectedProcess => r !== null);
}

async function readProcess(pid: number, ctx: ScanContext): Promise<CollectedProcess | null> {
  const stat = await readStat(pid);
  if (stat === null) return null;
  // Kernel threads (often most of a small host's PIDs) run as uid 0 with no command line and no
  // executable: the stat line says so, and three more reads each would only confirm it.
  const kthread = isKernelThread(stat);
  // cmdline is only needed to classify a missing exe link, so the three reads can overlap.
  const cmdlinePromise = kthread ? Promise.resolve('') : readCmdline(pid);
  const root = ctx.users.get(0) ?? 'root';
  const [users, cmdline, exe] = await Promise.all([
    kthread ? kernelThreadUsers(root) : readUsers(pid, ctx.users),
    cmdlinePromise,
    kthread ? exeInfo('kernel-thread', null) : resolveExe(pid, stat, cmdlinePromise),
  ]);
  if (exe === null) return null;

  const startSecAfterBoot = stat.starttime / ctx.clkTck;
  const elapsedSec = ctx.uptimeSec - startSecAfterBoot;
  const cpuSec = (stat.utime + stat.stime) / ctx.clkTck;
  const rssBytes = stat.rssPages * ctx.pageSize;

  const record: ProcessRecord = {
    pid: stat.pid,
    ppid: stat.ppid,
    name: stat.comm,
    ...userNames(users),
    state: stat.state || '?',
    startedAt: new Date(Math.round((ctx.bootTimeSec + startSecAfterBoot) * 1000)),
    rssBytes,
    memoryPercent: ctx.memTotalBytes > 0 ? (rssBytes / ctx.memTotalBytes) * 100 : 0,
    cpuPercent: elapsedSec > 0 ? (cpuSec / elapsedSec) * 100 : 0,
    cmdline,
    exe: exe.exe,
    exeStatus: exe.exeStatus,
    exeError: exe.exeError,
    hashes: null,
    package: null,
    integrity: null,
    heuristics: detectHeuristics({
      name: stat.comm,
      cmdline,
      exe: exe.exe,
      exeStatus: exe.exeStatus,
      ...users,
      worldWritable: exe.worldWritable,
    }),
  };
  return { record, target: exe.target };
}
