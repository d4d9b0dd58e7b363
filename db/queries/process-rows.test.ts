import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { processSchema, PROCESS_FACTS, toProcessView } from '@/domain/process';
import { runProcesses } from '../schema';
import { processFromRow, processRow } from './process-rows';

const record = processSchema.parse({
  pid: 7,
  ppid: 1,
  name: 'nginx',
  user: 'root',
  state: 'S',
  startedAt: new Date('2026-11-24T10:00:00Z'),
  rssBytes: 1234,
  memoryPercent: 1.5,
  cpuPercent: 3,
  cmdline: 'nginx: master process',
  exe: '/usr/sbin/nginx',
  exeStatus: 'ok',
  exeError: null,
  hashes: { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), size: 10 },
  effectiveUser: 'www-data',
  package: 'nginx-core',
  integrity: 'matches',
  heuristics: ['setuid'],
});

describe('the process ↔ run_processes mapping', () => {
  it('stores every field of a process in a column, and every column holds a field', () => {
    const { hashes, ...facts } = record;
    const row = processRow(facts, hashes!.sha256);
    const columns = Object.keys(getTableColumns(runProcesses)).filter((c) => c !== 'id' && c !== 'runId');
    expect(Object.keys(row).sort()).toEqual(columns.filter((c) => c !== 'unresolvedMd5').sort());
    expect(Object.keys(row)).toHaveLength(PROCESS_FACTS.length + 1);
  });

  it('reads back the process it stored', () => {
    const { hashes, ...facts } = record;
    const row = processRow(facts, hashes!.sha256);
    expect(processFromRow({ ...row, md5: hashes!.md5, sha1: hashes!.sha1 })).toEqual(toProcessView(record));
  });

  it('keeps an imported MD5 without its executable apart', () => {
    const { hashes: _h, ...facts } = record;
    expect(processRow(facts, null, 'd'.repeat(32))).toMatchObject({ sha256: null, unresolvedMd5: 'd'.repeat(32) });
    expect(processRow(facts, null, null)).toHaveProperty('unresolvedMd5', null);
    expect(processRow(facts, 'c'.repeat(64))).not.toHaveProperty('unresolvedMd5');
  });
});
