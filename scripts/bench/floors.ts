import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * The baselines ProcLens is measured against. Each is written the way its reference would be:
 * a fair `ps` (same fields, same concurrency, the cheapest read primitive), a person running
 * coreutils, and the seed's naive script.
 */

// ---- a fair "ps": bare /proc enumeration ------------------------------------------------------

/** The same async concurrency as ProcLens's /proc scan (proc-linux.ts CONCURRENCY). */
export const ENUM_CONCURRENCY = 64;

function readSmall(file: string, max: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    fs.open(file, 'r', (openError, fd) => {
      if (openError) return resolve(null);
      const buffer = Buffer.allocUnsafe(max);
      fs.read(fd, buffer, 0, max, 0, (readError, n) => {
        fs.close(fd, () => undefined);
        resolve(readError ? null : buffer.subarray(0, n));
      });
    });
  });
}

function readLink(file: string): Promise<string | null> {
  return new Promise((resolve) => fs.readlink(file, (error, target) => resolve(error ? null : target)));
}

export interface EnumerationResult {
  processes: number;
  withExe: number;
}

/**
 * readdir /proc, then per PID: stat first (a PID that vanished stops there), then status, cmdline
 * and the exe link in parallel; 64 PIDs in flight. No parsing beyond finding the uid line, no
 * file stat, no cache: the floor for "list the processes with the fields ProcLens shows".
 */
export async function bareEnumerate(): Promise<EnumerationResult> {
  const pids = (await fs.promises.readdir('/proc')).filter((e) => /^\d+$/.test(e));
  let next = 0;
  let processes = 0;
  let withExe = 0;
  const lane = async (): Promise<void> => {
    while (next < pids.length) {
      const pid = pids[next++] as string;
      const stat = await readSmall(`/proc/${pid}/stat`, 4096);
      if (!stat) continue;
      const [status, cmdline, exe] = await Promise.all([
        readSmall(`/proc/${pid}/status`, 16 * 1024),
        readSmall(`/proc/${pid}/cmdline`, 32 * 1024),
        readLink(`/proc/${pid}/exe`),
      ]);
      if (status && cmdline !== null) processes++;
      if (exe) withExe++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENUM_CONCURRENCY, pids.length) }, lane));
  return { processes, withExe };
}

// ---- the seed's script --------------------------------------------------------------------

export interface SeedLoopResult {
  processes: number;
  hashed: number;
  bytes: number;
  failed: number;
}

/**
 * What a first script does (`for p in psutil.process_iter(): md5(open(p.exe(),'rb').read())`):
 * one thread, synchronous, every process's executable read whole and MD5'd, no dedupe, no cache.
 */
export function seedStyleLoop(): SeedLoopResult {
  const result: SeedLoopResult = { processes: 0, hashed: 0, bytes: 0, failed: 0 };
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    result.processes++;
    let exe: string;
    try {
      exe = fs.readlinkSync(`/proc/${entry}/exe`);
    } catch {
      continue; // kernel thread, gone, or not ours
    }
    try {
      const bytes = fs.readFileSync(exe);
      createHash('md5').update(bytes).digest('hex');
      result.hashed++;
      result.bytes += bytes.length;
    } catch {
      result.failed++; // "(deleted)" paths, permissions
    }
  }
  return result;
}

// ---- coreutils ----------------------------------------------------------------------------

function runTool(tool: string, files: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ['--', ...files], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

export const COREUTILS_TOOLS = ['md5sum', 'sha1sum', 'sha256sum'] as const;

/** md5sum, then sha1sum, then sha256sum, each over every file: what a person would type. */
export async function coreutilsFloor(files: readonly string[]): Promise<void> {
  for (const tool of COREUTILS_TOOLS) {
    // Exit 1 only means a file vanished since the list was made (a process exited): not fatal.
    const code = await runTool(tool, files);
    if (code !== 0 && code !== 1) throw new Error(`${tool} exited with ${code}`);
  }
}

/** Reads each file once so that every contender meets the same hot page cache. */
export function warmPageCache(files: readonly string[]): number {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let total = 0;
  for (const file of files) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      continue;
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        total += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return total;
}
