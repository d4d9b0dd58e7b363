/**
 * Pure parsers for Linux /proc text. No I/O here, so every quirk (comm with ')' in it, NUL-separated
 * argv, ' (deleted)' links) is unit-tested without a live system.
 */

/** PF_KTHREAD in include/linux/sched.h: the task is a kernel thread. */
export const PF_KTHREAD = 0x0020_0000;

/** pid of kthreadd, the parent of every kernel thread. */
export const KTHREADD_PID = 2;

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  flags: number;
  /** Clock ticks in user mode (field 14). */
  utime: number;
  /** Clock ticks in kernel mode (field 15). */
  stime: number;
  /** Clock ticks after boot at which the process started (field 22). */
  starttime: number;
  /** Resident pages (field 24). */
  rssPages: number;
}

/**
 * Parses /proc/PID/stat. comm sits between the first '(' and the LAST ')' because the kernel does not
 * escape it: a process can name itself "a) b" and every field after it would shift by a naive split.
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  if (rest.length < 22) return null;
  const field = (n: number): number => Number(rest[n - 3]);
  const parsed: ProcStat = {
    pid,
    comm,
    state: rest[0] ?? '?',
    ppid: field(4),
    flags: field(9),
    utime: field(14),
    stime: field(15),
    starttime: field(22),
    rssPages: field(24),
  };
  const numbers = [parsed.pid, parsed.ppid, parsed.flags, parsed.utime, parsed.stime, parsed.starttime];
  if (!numbers.every(Number.isFinite)) return null;
  if (!Number.isFinite(parsed.rssPages) || parsed.rssPages < 0) parsed.rssPages = 0;
  return parsed;
}

/** Real uid: the first of the four numbers on the `Uid:` line of /proc/PID/status. */
export function parseStatusUid(text: string): number | null {
  const match = /^Uid:\s+(\d+)/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Real and effective uid: the first two of the four numbers on the `Uid:` line (real, effective, saved, fs). */
export function parseStatusUids(text: string): { real: number; effective: number } | null {
  const match = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { real: Number(match[1]), effective: Number(match[2]) };
}

/** uid → user name from /etc/passwd; the first entry wins, as getpwuid does. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(':');
    const name = parts[0];
    const uid = Number(parts[2]);
    if (!name || parts[2] === undefined || parts[2] === '' || !Number.isInteger(uid)) continue;
    if (!users.has(uid)) users.set(uid, name);
  }
  return users;
}

/** MemTotal from /proc/meminfo, in bytes (the file says kB and means KiB). */
export function parseMemTotalBytes(text: string): number | null {
  const match = /^MemTotal:\s+(\d+)\s*kB/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}

/** `btime` from /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(text: string): number | null {
  const match = /^btime\s+(\d+)/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** First number of /proc/uptime: seconds since boot, with centiseconds. */
export function parseUptime(text: string): number | null {
  const value = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(value) ? value : null;
}

export const CMDLINE_MAX_CHARS = 4096;

/**
 * argv is NUL-separated with a trailing NUL. Processes that rewrite their title (setproctitle) may
 * leave runs of NULs, so they collapse like any separator. Output is bounded: argv can be megabytes.
 */
export function parseCmdline(bytes: Uint8Array, maxChars = CMDLINE_MAX_CHARS): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/\0+$/, '')
    .replace(/\0/g, ' ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

const DELETED_SUFFIX = ' (deleted)';

export interface ExeLink {
  status: 'ok' | 'deleted' | 'memfd';
  /** The path to show: the link target without the kernel's ' (deleted)' marker. */
  exe: string;
}

/** Classifies a /proc/PID/exe link target. memfd links also carry ' (deleted)'; memfd wins. */
export function classifyExeLink(target: string): ExeLink {
  const deleted = target.endsWith(DELETED_SUFFIX);
  const exe = deleted ? target.slice(0, -DELETED_SUFFIX.length) : target;
  if (exe.startsWith('/memfd:')) return { status: 'memfd', exe };
  return { status: deleted ? 'deleted' : 'ok', exe };
}

/** Kernel threads: flagged PF_KTHREAD, or kthreadd and its children (older kernels lack the flag). */
export function isKernelThread(stat: Pick<ProcStat, 'pid' | 'ppid' | 'flags'>): boolean {
  return (stat.flags & PF_KTHREAD) !== 0 || stat.pid === KTHREADD_PID || stat.ppid === KTHREADD_PID;
}

/** Errors meaning "this process is gone", which a scan treats as normal, not as failure. */
export function isGoneError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ESRCH';
}

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'EUNKNOWN';
}

const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

/**
 * CLK_TCK and the page size from /proc/self/auxv: (type, value) pairs of native words, ending with
 * type 0. Null when the vector is not what this process's word size and byte order expect.
 */
export function parseAuxv(
  buf: Buffer,
  wordBytes: 4 | 8,
  littleEndian: boolean,
): { clkTck: number; pageSize: number } | null {
  const word = (at: number): number => {
    if (wordBytes === 4) return littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
    const v = littleEndian ? buf.readBigUInt64LE(at) : buf.readBigUInt64BE(at);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
  };
  let clkTck = 0;
  let pageSize = 0;
  for (let at = 0; at + 2 * wordBytes <= buf.length; at += 2 * wordBytes) {
    const type = word(at);
    if (type === 0) break;
    if (type === AT_PAGESZ) pageSize = word(at + wordBytes);
    else if (type === AT_CLKTCK) clkTck = word(at + wordBytes);
  }
  const sane = clkTck > 0 && clkTck <= 100_000 && pageSize >= 512 && (pageSize & (pageSize - 1)) === 0;
  return sane ? { clkTck, pageSize } : null;
}
