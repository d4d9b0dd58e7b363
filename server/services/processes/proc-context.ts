import 'server-only';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { parseAuxv, parseBootTime, parseMemTotalBytes, parsePasswd, parseUptime } from './proc-parse';
import { PROC, readText } from './proc-read';

/** What a scan needs to know about the machine once: clock ticks, page size, boot time, memory, users. */

interface SystemConstants {
  clkTck: number;
  pageSize: number;
}

export interface ScanContext extends SystemConstants {
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

export async function scanContext(): Promise<ScanContext> {
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
