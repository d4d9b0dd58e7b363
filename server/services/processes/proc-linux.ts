import 'server-only';
import { execFile } from 'node:child_process';
import fsCallback from 'node:fs';
import os from 'node:os';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { identityFromStats, type CollectedProcess, type HashTarget } from './collected';
import { mapLimit } from './concurrency';
import {
  classifyExeLink,
  errorCode,
  isGoneError,
  isKernelThread,
  parseAuxv,
  parseBootTime,
  parseCmdline,
  parseMemTotalBytes,
  parsePasswd,
  parseStat,
  parseStatusUids,
  parseUptime,
  CMDLINE_MAX_CHARS,
  type ProcStat,
} from './proc-parse';
import { detectHeuristics } from '@/domain/heuristics';
import type { ExeStatus, ProcessRecord } from './types';

/**
 * The Linux fast path: everything comes from /proc with plain file reads, never a child process per
 * PID, so a host with thousands of processes is enumerated in well under a second.
 */

const PROC = '/proc';
const CONCURRENCY = 64;
// UTF-8 needs at most 4 bytes per char; reading more than this cannot change the bounded result.
const CMDLINE_MAX_BYTES = CMDLINE_MAX_CHARS * 4;

interface SystemConstants {
  clkTck: number;
  pageSize: number;
}

interface ScanContext extends SystemConstants {
  bootTimeSec: number;
  uptimeSec: number;
  memTotalBytes: number;
  users: Map<number, string>;
}

const execFileAsync = promisify(execFile);

async function getconf(name: string, fallback: number): Promise<number> {
  try {
    const { stdout } = await execFileAsync('getconf', [name], { timeout: 5_000 });
    const value = Number(stdout.trim());
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let constants: Promise<SystemConstants> | undefined;

/**
 * CLK_TCK and the page size never change while the machine runs: ask once per process. The kernel
 * hands both to every process in its auxiliary vector (where getconf itself reads them); two
 * `getconf` child processes cost a short-lived CLI far more than reading that vector.
 */
function systemConstants(): Promise<SystemConstants> {
  constants ??= readText(`${PROC}/self/auxv`, 'latin1').then(async (raw) => {
    const wordBytes = process.arch.includes('64') ? 8 : 4;
    const aux = raw === null ? null : parseAuxv(Buffer.from(raw, 'latin1'), wordBytes, os.endianness() === 'LE');
    if (aux) return aux;
    const [clkTck, pageSize] = await Promise.all([getconf('CLK_TCK', 100), getconf('PAGESIZE', 4096)]);
    return { clkTck, pageSize };
  });
  return constants;
}

async function readText(file: string, encoding: BufferEncoding = 'utf8'): Promise<string | null> {
  try {
    return await fs.readFile(file, encoding);
  } catch {
    return null;
  }
}

/**
 * One open + read + close, with the callback API. fs.promises.readFile spends five threadpool round
 * trips per file (fstat, a second read for EOF...), which dominates a scan of thousands of PIDs;
 * this halves it. procfs returns a whole small file in one read when the buffer is large enough.
 */
function readProcFile(file: string, maxBytes: number, untilFull = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fsCallback.open(file, 'r', (openError, fd) => {
      if (openError) return reject(openError);
      const buffer = Buffer.allocUnsafe(maxBytes);
      let filled = 0;
      const finish = (error: NodeJS.ErrnoException | null): void => {
        fsCallback.close(fd, () => undefined);
        if (error) reject(error);
        else resolve(buffer.subarray(0, filled));
      };
      const next = (): void => {
        fsCallback.read(fd, buffer, filled, maxBytes - filled, filled, (readError, bytesRead) => {
          if (readError) return finish(readError);
          filled += bytesRead;
          if (!untilFull || bytesRead === 0 || filled === maxBytes) return finish(null);
          next();
        });
      };
      next();
    });
  });
}

// stat and status fit one read; only cmdline can be large enough to arrive in pieces (untilFull).
const STAT_MAX_BYTES = 4096;
const STATUS_MAX_BYTES = 16 * 1024;

async function scanContext(): Promise<ScanContext> {
  const [system, procStat, uptime, meminfo, passwd] = await Promise.all([
    systemConstants(),
    readText(`${PROC}/stat`),
    readText(`${PROC}/uptime`),
    readText(`${PROC}/meminfo`),
    readText('/etc/passwd'),
  ]);
  const nowSec = Date.now() / 1000;
  const uptimeSec = (uptime === null ? null : parseUptime(uptime)) ?? 0;
  const bootTimeSec = procStat === null ? null : parseBootTime(procStat);
  const memTotalBytes = meminfo === null ? null : parseMemTotalBytes(meminfo);
  return {
    ...system,
    bootTimeSec: bootTimeSec ?? nowSec - uptimeSec,
    uptimeSec,
    memTotalBytes: memTotalBytes ?? 0,
    users: passwd ? parsePasswd(passwd) : new Map(),
  };
}

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

async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseStat((await readProcFile(`${PROC}/${pid}/stat`, STAT_MAX_BYTES)).toString('utf8'));
  } catch {
    // Gone (ENOENT/ESRCH) is the usual reason; any other failure leaves nothing to list either.
    return null;
  }
}

async function readCmdline(pid: number): Promise<string> {
  try {
    return parseCmdline(await readProcFile(`${PROC}/${pid}/cmdline`, CMDLINE_MAX_BYTES, true));
  } catch {
    return '';
  }
}

interface Users {
  user: string;
  effectiveUser: string | null;
  realUid: number | null;
  effectiveUid: number | null;
}

const userName = (uid: number, users: Map<number, string>) => users.get(uid) ?? String(uid);

/** Real and effective user: a setuid program runs with its owner's rights on behalf of the real user. */
async function readUsers(pid: number, users: Map<number, string>): Promise<Users> {
  try {
    const uids = parseStatusUids((await readProcFile(`${PROC}/${pid}/status`, STATUS_MAX_BYTES)).toString('utf8'));
    if (uids === null) return { user: '?', effectiveUser: null, realUid: null, effectiveUid: null };
    return {
      user: userName(uids.real, users),
      effectiveUser: userName(uids.effective, users),
      realUid: uids.real,
      effectiveUid: uids.effective,
    };
  } catch {
    return { user: '?', effectiveUser: null, realUid: null, effectiveUid: null };
  }
}

type LinkResult = { target: string } | { error: unknown };

async function readExeLink(pid: number): Promise<LinkResult> {
  try {
    return { target: await fs.readlink(`${PROC}/${pid}/exe`) };
  } catch (error) {
    return { error };
  }
}

interface ExeInfo {
  exe: string | null;
  exeStatus: ExeStatus;
  exeError: string | null;
  target: HashTarget | null;
  worldWritable?: boolean;
}

const exeInfo = (exeStatus: ExeStatus, exeError: string | null, exe: string | null = null): ExeInfo => ({
  exe,
  exeStatus,
  exeError,
  target: null,
});

/** Returns null when the process vanished while being read: that is a normal outcome of a scan. */
async function resolveExe(pid: number, stat: ProcStat, cmdline: Promise<string>): Promise<ExeInfo | null> {
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
    kthread ? { user: root, effectiveUser: root, realUid: 0, effectiveUid: 0 } : readUsers(pid, ctx.users),
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
    user: users.user,
    effectiveUser: users.effectiveUser,
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
      user: users.user,
      effectiveUser: users.effectiveUser,
      realUid: users.realUid,
      effectiveUid: users.effectiveUid,
      worldWritable: exe.worldWritable,
    }),
  };
  return { record, target: exe.target };
}
