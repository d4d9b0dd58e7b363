import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { makeRunExport } from '@/tests/export-fixture';
import { pinTimeZone, readWorkbook } from '@/tests/workbook-reading';
import { buildRunWorkbook } from './workbook';

/** The workbook's Run sheet: the host's and the run's facts, times as date cells in UTC and local time. */
pinTimeZone('Asia/Kolkata');

const buffer = buildRunWorkbook(makeRunExport());
const { rows, runFact } = readWorkbook(buffer);

describe('buildRunWorkbook: Run sheet', () => {
  it('lists host and run facts on the Run sheet', () => {
    expect(runFact('Hostname')).toBe('build-01.example');
    expect(runFact('Total memory (bytes)')).toBe(16_663_093_248);
    expect(runFact('Total memory')).toBe('15.52 GiB');
    expect(runFact('CPU cores')).toBe(8);
    expect(runFact('Run ID')).toBe(42);
    expect(runFact('Local time zone (UTC offset)')).toBe('+05:30');
    expect(runFact('Duration ms')).toBe(3322);
  });

  it('writes started and finished times as date cells with a date-time format', () => {
    // The format comes back only when SheetJS is asked for number formats.
    const ws = XLSX.read(buffer, { cellNF: true }).Sheets.Run ?? {};
    const cellOf = (label: string) => {
      const r = rows('Run').findIndex((row) => row[0] === label);
      return ws[XLSX.utils.encode_cell({ r, c: 1 })] as XLSX.CellObject;
    };
    const started = cellOf('Started (UTC)');
    expect(started.t).toBe('n');
    expect(started.z).toBe('yyyy-mm-dd hh:mm:ss');
    // Excel serial of 2024-01-02 03:04:05.678 UTC.
    expect(started.v).toBeCloseTo(45293 + (3 * 3600 + 4 * 60 + 5.678) / 86400, 9);
    // The same instant as the server's wall clock (Asia/Kolkata, +05:30).
    expect(cellOf('Started (local)').v).toBeCloseTo((started.v as number) + 5.5 / 24, 9);
    expect(cellOf('Finished (UTC)').z).toBe('yyyy-mm-dd hh:mm:ss');
    const parsed = XLSX.read(buffer, { cellDates: true }).Sheets.Run;
    const r = rows('Run').findIndex((row) => row[0] === 'Finished (UTC)');
    expect((parsed?.[XLSX.utils.encode_cell({ r, c: 1 })]?.v as Date).toISOString()).toBe('2024-01-02T03:04:09.000Z');
  });

  it('lists the remaining run facts', () => {
    expect(runFact('Duration ms')).toBe(3322);
    expect(runFact('Processes kept')).toBe(9);
    expect(runFact('Processes seen')).toBe(310);
    expect(runFact('Error')).toBeNull();
  });

  it('keeps hostile strings on the Run sheet exactly, as text', () => {
    const hostile = makeRunExport();
    hostile.host.hostname = '=cmd()';
    hostile.run.error = '+boom';
    const run = XLSX.read(buildRunWorkbook(hostile)).Sheets.Run;
    const facts = XLSX.utils.sheet_to_json<unknown[]>(run ?? {}, { header: 1, defval: null });
    expect(facts.find((r) => r[0] === 'Hostname')?.[1]).toBe('=cmd()');
    expect(facts.find((r) => r[0] === 'Error')?.[1]).toBe('+boom');
  });

  it('leaves Run ID empty for a run that was not stored', () => {
    const unstored = makeRunExport();
    unstored.run.id = null;
    const run = XLSX.read(buildRunWorkbook(unstored)).Sheets.Run;
    const facts = XLSX.utils.sheet_to_json<unknown[]>(run ?? {}, { header: 1, defval: null });
    expect(facts.find((r) => r[0] === 'Run ID')?.[1]).toBeNull();
  });
});
