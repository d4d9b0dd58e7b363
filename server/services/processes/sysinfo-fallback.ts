import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import nodePath from 'node:path';
import si from 'systeminformation';
import { identityFromStats, type CollectedProcess } from './collected';
import { mapLimit } from './concurrency';
import { blankProcess } from '@/domain/process';
import type { ExeStatus, FileIdentity, ProcessRecord } from './types';

/**
 * The collector for platforms without /proc (macOS, Windows, BSD), via systeminformation. Its fields
 * come from `ps` or WMI: `path` and `command` are argv-derived on Unix, so they are trusted as the
 * executable only when they name an existing regular file; anything else is listed as 'unknown'.
 */

/** The fields of systeminformation's ProcessesProcessData this mapper reads. */
export interface SysinfoProcessLike {
  pid: number;
  parentPid: number;
  name: string;
  cpu: number;
  mem: number;
  /** KiB. */
  memRss: number;
  started: string;
  state: string;
  user: string;
  command: string;
  params: string;
  path: string;
}

const STATE_LETTERS: Record<string, string> = {
  running: 'R',
  sleeping: 'S',
  blocked: 'D',
  stopped: 'T',
  zombie: 'Z',
  idle: 'I',
  paging: 'W',
  dead: 'X',
};

function pathApi(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

/**
 * Paths that may be the executable, best first. Windows: `path` is WMI's ExecutablePath and
 * `command` the whole command line. Unix: `ps` is split into directory (`path`) and name (`command`).
 */
export function exeCandidates(p: SysinfoProcessLike, platform: NodeJS.Platform): string[] {
  const api = pathApi(platform);
  const candidates =
    platform === 'win32' ? [p.path] : [p.path && p.command ? api.join(p.path, p.command) : '', p.command];
  return [...new Set(candidates.filter((c) => c !== '' && api.isAbsolute(c)))];
}

function parseStarted(started: string): Date | null {
  if (!started) return null;
  // systeminformation prints local "YYYY-MM-DD HH:MM:SS"; Date parses the ISO-like form with a 'T'.
  const date = new Date(started.includes('T') ? started : started.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date;
}

const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

/** Pure: one systeminformation process → a row. `exe` is a candidate already checked to be a file. */
export function mapSysinfoProcess(
  p: SysinfoProcessLike,
  platform: NodeJS.Platform,
  exe: string | null,
  totalMemoryBytes: number,
): ProcessRecord {
  const rssBytes = Math.max(0, finite(p.memRss)) * 1024;
  const memoryPercent = Number.isFinite(p.mem) ? p.mem : totalMemoryBytes > 0 ? (rssBytes / totalMemoryBytes) * 100 : 0;
  const program = platform === 'win32' || !p.path ? p.command : pathApi(platform).join(p.path, p.command);
  const cmdline = [program, platform === 'win32' ? '' : p.params].filter(Boolean).join(' ');
  const exeStatus: ExeStatus = exe === null ? 'unknown' : 'ok';
  return {
    // systeminformation reports one user per process; heuristics and dpkg integrity are Linux-only:
    // what it does not say stays "not recorded".
    ...blankProcess(exeStatus),
    pid: p.pid,
    ppid: p.parentPid,
    name: p.name,
    user: p.user || '?',
    state: STATE_LETTERS[p.state] ?? '?',
    startedAt: parseStarted(p.started),
    rssBytes,
    memoryPercent,
    cpuPercent: finite(p.cpu),
    cmdline,
    exe,
    exeError: exe === null ? 'this platform reports no trustworthy executable path' : null,
  };
}

async function regularFileIdentity(file: string): Promise<FileIdentity | null> {
  try {
    const st = await fs.stat(file, { bigint: true });
    return st.isFile() ? identityFromStats(st) : null;
  } catch {
    return null;
  }
}

export async function collectFallbackProcesses(signal?: AbortSignal): Promise<CollectedProcess[]> {
  const { list } = await si.processes();
  signal?.throwIfAborted();
  const platform = process.platform;
  const totalMemoryBytes = os.totalmem();
  return mapLimit(
    list,
    32,
    async (p) => {
      for (const candidate of exeCandidates(p, platform)) {
        const id = await regularFileIdentity(candidate);
        if (id) {
          return {
            record: mapSysinfoProcess(p, platform, candidate, totalMemoryBytes),
            target: { id, paths: [candidate] },
          };
        }
      }
      return { record: mapSysinfoProcess(p, platform, null, totalMemoryBytes), target: null };
    },
    signal,
  );
}
