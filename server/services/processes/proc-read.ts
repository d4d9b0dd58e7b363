import 'server-only';
import fsCallback from 'node:fs';
import fs from 'node:fs/promises';
import { CMDLINE_MAX_CHARS, parseCmdline, parseStat, parseStatusUids, type ProcStat } from './proc-parse';

/**
 * Reading procfs: whole small files with as few system calls as possible, and the per-PID files
 * the collector needs (stat, cmdline, status). A PID may exit between any two reads: each reader
 * answers null or an empty value then, never throws.
 */

export const PROC = '/proc';
// UTF-8 needs at most 4 bytes per char; reading more than this cannot change the bounded result.
const CMDLINE_MAX_BYTES = CMDLINE_MAX_CHARS * 4;
// stat and status fit one read; only cmdline can be large enough to arrive in pieces (untilFull).
const STAT_MAX_BYTES = 4096;
const STATUS_MAX_BYTES = 16 * 1024;

export async function readText(file: string, encoding: BufferEncoding = 'utf8'): Promise<string | null> {
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

export async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseStat((await readProcFile(`${PROC}/${pid}/stat`, STAT_MAX_BYTES)).toString('utf8'));
  } catch {
    // Gone (ENOENT/ESRCH) is the usual reason; any other failure leaves nothing to list either.
    return null;
  }
}

export async function readCmdline(pid: number): Promise<string> {
  try {
    return parseCmdline(await readProcFile(`${PROC}/${pid}/cmdline`, CMDLINE_MAX_BYTES, true));
  } catch {
    return '';
  }
}

export interface Users {
  user: string;
  effectiveUser: string | null;
  realUid: number | null;
  effectiveUid: number | null;
}

const userName = (uid: number, users: Map<number, string>) => users.get(uid) ?? String(uid);

const UNKNOWN_USERS: Users = { user: '?', effectiveUser: null, realUid: null, effectiveUid: null };

/** What the process record keeps of them: the names (the uids only feed the heuristics). */
export function userNames(u: Users): Pick<Users, 'user' | 'effectiveUser'> {
  return { user: u.user, effectiveUser: u.effectiveUser };
}

/** A kernel thread runs as root, really and effectively (its stat line says it is one). */
export function kernelThreadUsers(root: string): Users {
  return { user: root, effectiveUser: root, realUid: 0, effectiveUid: 0 };
}

/** Real and effective user: a setuid program runs with its owner's rights on behalf of the real user. */
export async function readUsers(pid: number, users: Map<number, string>): Promise<Users> {
  try {
    const uids = parseStatusUids((await readProcFile(`${PROC}/${pid}/status`, STATUS_MAX_BYTES)).toString('utf8'));
    if (uids === null) return UNKNOWN_USERS;
    return {
      user: userName(uids.real, users),
      effectiveUser: userName(uids.effective, users),
      realUid: uids.real,
      effectiveUid: uids.effective,
    };
  } catch {
    return UNKNOWN_USERS;
  }
}
