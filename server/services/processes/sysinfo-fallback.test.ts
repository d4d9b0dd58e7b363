import { describe, expect, it } from 'vitest';
import { exeCandidates, mapSysinfoProcess, type SysinfoProcessLike } from './sysinfo-fallback';

const base: SysinfoProcessLike = {
  pid: 501,
  parentPid: 1,
  name: 'Safari',
  cpu: 1.5,
  mem: 2.25,
  memRss: 204800,
  started: '2026-01-02 03:04:05',
  state: 'sleeping',
  user: 'alice',
  command: 'Safari',
  params: '-psn_0_1234',
  path: '/Applications/Safari.app/Contents/MacOS',
};

describe('exeCandidates', () => {
  it('joins directory and name from ps on macOS', () => {
    expect(exeCandidates(base, 'darwin')).toEqual(['/Applications/Safari.app/Contents/MacOS/Safari']);
  });

  it('ignores relative argv0 (it could be anything the process claims)', () => {
    expect(exeCandidates({ ...base, path: '', command: 'python3' }, 'darwin')).toEqual([]);
  });

  it("uses WMI's ExecutablePath on Windows, never the command line", () => {
    const win = {
      ...base,
      path: 'C:\\Windows\\System32\\svchost.exe',
      command: 'C:\\Windows\\system32\\svchost.exe -k netsvcs',
    };
    expect(exeCandidates(win, 'win32')).toEqual(['C:\\Windows\\System32\\svchost.exe']);
    expect(exeCandidates({ ...win, path: '' }, 'win32')).toEqual([]);
  });
});

describe('mapSysinfoProcess', () => {
  it('maps a checked executable to an ok row with units converted', () => {
    const row = mapSysinfoProcess(base, 'darwin', '/Applications/Safari.app/Contents/MacOS/Safari', 16 * 2 ** 30);
    expect(row).toEqual({
      pid: 501,
      ppid: 1,
      name: 'Safari',
      user: 'alice',
      state: 'S',
      startedAt: new Date(2026, 0, 2, 3, 4, 5),
      rssBytes: 204800 * 1024,
      memoryPercent: 2.25,
      cpuPercent: 1.5,
      cmdline: '/Applications/Safari.app/Contents/MacOS/Safari -psn_0_1234',
      exe: '/Applications/Safari.app/Contents/MacOS/Safari',
      exeStatus: 'ok',
      exeError: null,
      hashes: null,
      // One user per process, no dpkg, no heuristics on the fallback platforms.
      effectiveUser: null,
      package: null,
      integrity: null,
      heuristics: [],
    });
  });

  it('marks rows without a trustworthy executable as unknown and survives odd fields', () => {
    const row = mapSysinfoProcess(
      { ...base, state: 'weird', started: 'not a date', user: '', mem: Number.NaN, memRss: 1024 },
      'darwin',
      null,
      1024 * 1024 * 100,
    );
    expect(row.exeStatus).toBe('unknown');
    expect(row.exe).toBeNull();
    expect(row.exeError).toMatch(/no trustworthy executable/);
    expect(row.state).toBe('?');
    expect(row.startedAt).toBeNull();
    expect(row.user).toBe('?');
    expect(row.memoryPercent).toBeCloseTo(1, 6);
  });

  it('uses the full command line as given on Windows', () => {
    const row = mapSysinfoProcess(
      { ...base, path: 'C:\\app\\a.exe', command: '"C:\\app\\a.exe" --flag', params: '', state: 'running' },
      'win32',
      'C:\\app\\a.exe',
      1,
    );
    expect(row.cmdline).toBe('"C:\\app\\a.exe" --flag');
    expect(row.state).toBe('R');
  });
});
