import { describe, expect, it } from 'vitest';
import { buildRunJson, type RunJsonDocument } from './run-json';
import { makeRunExport } from '@/tests/export-fixture';
import { PROCESS_JSON_KEYS } from '@/tests/json-contract';

const data = makeRunExport();
// Through stringify/parse, as the CLI's consumers see it.
const doc = JSON.parse(JSON.stringify(buildRunJson(data))) as RunJsonDocument;

describe('buildRunJson', () => {
  it('has exactly the documented keys', () => {
    expect(Object.keys(doc).sort()).toEqual(['processes', 'run']);
    expect(Object.keys(doc.run).sort()).toEqual(
      [
        'id',
        'host',
        'startedAt',
        'finishedAt',
        'status',
        'source',
        'minMemoryPercent',
        'totalProcesses',
        'processCount',
        'distinctExecutables',
        'durationMs',
        'hostFacts',
      ].sort(),
    );
    expect(Object.keys(doc.run.hostFacts).sort()).toEqual(
      [
        'hostname',
        'platform',
        'distro',
        'release',
        'kernel',
        'arch',
        'totalMemoryBytes',
        'cpuModel',
        'cpuCores',
      ].sort(),
    );
    for (const p of doc.processes) {
      expect(Object.keys(p).sort()).toEqual([...PROCESS_JSON_KEYS].sort());
    }
  });

  it('describes the run with ISO dates and the hostname as host', () => {
    expect(doc.run).toEqual({
      id: 42,
      host: 'build-01.example',
      startedAt: '2024-01-02T03:04:05.678Z',
      finishedAt: '2024-01-02T03:04:09.000Z',
      status: 'completed',
      source: 'dashboard',
      minMemoryPercent: 0.5,
      totalProcesses: 310,
      processCount: 9,
      distinctExecutables: 7,
      durationMs: 3322,
      hostFacts: {
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
    });
  });

  it('lists processes in order with raw values and null for missing hashes', () => {
    expect(doc.processes.map((p) => p.pid)).toEqual(data.processes.map((p) => p.pid));
    expect(doc.processes[0]).toEqual({
      pid: 1234,
      ppid: 1,
      name: 'postgres',
      user: 'postgres',
      memoryPercent: 12.34567,
      exe: '/usr/lib/postgresql/16/bin/postgres',
      exeStatus: 'ok',
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      effectiveUser: 'postgres',
      package: 'postgresql-16',
      integrity: 'matches',
      heuristics: [],
    });
    const kernel = doc.processes.find((p) => p.pid === 2);
    expect(kernel).toMatchObject({ exe: null, exeStatus: 'kernel-thread', md5: null, sha1: null, sha256: null });
    // Not recorded (an older collector): null and an empty list, never absent.
    expect(kernel).toMatchObject({ effectiveUser: null, package: null, integrity: null, heuristics: [] });
    expect(doc.processes.find((p) => p.pid === 2003)).toMatchObject({
      integrity: 'not-packaged',
      heuristics: ['temp-dir', 'world-writable'],
    });
  });

  it('does not alter untrusted text (JSON escapes it)', () => {
    expect(doc.processes[1]?.name).toBe(data.processes[1]?.name);
    expect(doc.processes[2]?.name).toBe('evil\r\nname');
  });

  it('writes a null id for a run that was not stored', () => {
    const unstored = makeRunExport();
    unstored.run.id = null;
    expect(buildRunJson(unstored).run.id).toBeNull();
  });

  it('writes null for an unfinished run', () => {
    const running = makeRunExport();
    running.run.status = 'running';
    running.run.finishedAt = null;
    running.run.durationMs = null;
    const json = buildRunJson(running);
    expect(json.run.finishedAt).toBeNull();
    expect(json.run.durationMs).toBeNull();
  });
});
