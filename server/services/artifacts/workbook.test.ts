import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { VERDICT_LABELS, vtGuiLink } from '@/domain/verdict';
import { HOSTILE, makeRunExport, SHA } from '@/tests/export-fixture';
import { pinTimeZone, readWorkbook } from '@/tests/workbook-reading';
import type { RunExport } from './types';
import { NOT_HASHED_LABEL } from './vt-status';
import { buildRunWorkbook } from './workbook';
import { MAX_XLSX_CELL_TEXT, TRUNCATION_MARK } from './xlsx-sheet';

pinTimeZone('Asia/Kolkata');

const data = makeRunExport();
const buffer = buildRunWorkbook(data);
const { book, rows, sheet, processRow, zipPart } = readWorkbook(buffer);

function withoutVt(run: RunExport): RunExport {
  return { ...run, processes: run.processes.map(({ vt: _vt, ...p }) => p) };
}

describe('buildRunWorkbook', () => {
  it('is a compressed zip with the three sheets in order', () => {
    expect(buffer.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(buffer.readUInt16LE(8)).toBe(8); // first entry's method: deflate
    expect(book.SheetNames).toEqual(['Processes', 'Run', 'Hashes']);
  });

  it('has the exact header row', () => {
    expect(rows('Processes')[0]).toEqual([
      'Process',
      'PID',
      'User',
      'Memory %',
      'Executable',
      'MD5',
      'SHA-1',
      'SHA-256',
      'Exe status',
      'PPID',
      'CPU %',
      'Exe error',
      'VTScore',
      'Verdict',
      'VT link',
      'Effective user',
      'Package',
      'Integrity',
      'Heuristics',
    ]);
  });

  it('writes one row per process, in the given order', () => {
    const pids = rows('Processes')
      .slice(1)
      .map((r) => r[1]);
    expect(pids).toEqual(data.processes.map((p) => p.pid));
  });

  it('writes a known row with numbers as numbers and memory rounded', () => {
    expect(processRow(1234)).toEqual([
      'postgres',
      1234,
      'postgres',
      12.35,
      '/usr/lib/postgresql/16/bin/postgres',
      'd41d8cd98f00b204e9800998ecf8427e',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'ok',
      1,
      3.14,
      null,
      0,
      VERDICT_LABELS['not-malicious'],
      vtGuiLink(SHA.empty),
      'postgres',
      'postgresql-16',
      'matches',
      null,
    ]);
    const ws = sheet('Processes');
    expect(ws.B2?.t).toBe('n');
    expect(ws.D2?.t).toBe('n');
    expect(ws.J2?.t).toBe('n');
    expect(ws.M2?.t).toBe('n');
    expect(ws.O2?.t).toBe('s');
  });

  it('leaves cells empty for null (no exe, no hashes)', () => {
    const row = processRow(2);
    expect(row[4]).toBeNull();
    expect(row.slice(5, 8)).toEqual([null, null, null]);
    expect(row[8]).toBe('kernel-thread');
    expect(row.slice(12)).toEqual([null, NOT_HASHED_LABEL, null, null, null, null, null]);
  });

  it('writes VTScore, Verdict and VT link for every VirusTotal state', () => {
    expect(processRow(2001).slice(12, 15)).toEqual([7, VERDICT_LABELS.malicious, vtGuiLink(SHA.malicious)]);
    expect(processRow(2002).slice(12, 15)).toEqual([1, VERDICT_LABELS['needs-research'], vtGuiLink(SHA.research)]);
    expect(processRow(2003).slice(12, 15)).toEqual([null, VERDICT_LABELS['not-found'], null]);
    expect(processRow(2004).slice(12, 15)).toEqual([null, VERDICT_LABELS.pending, null]);
    expect(processRow(2005).slice(12, 15)).toEqual([null, VERDICT_LABELS.failed, null]);
  });

  it('writes effective user, package, integrity and heuristic badges', () => {
    expect(processRow(2003).slice(15)).toEqual(['root', null, 'not packaged', 'runs from /tmp; world-writable']);
  });

  it('leaves the VirusTotal columns empty and adds no Hashes sheet without VirusTotal data', () => {
    const read = XLSX.read(buildRunWorkbook(withoutVt(makeRunExport())));
    expect(read.SheetNames).toEqual(['Processes', 'Run']);
    const table = rows('Processes', read);
    expect(table[0]?.slice(12, 15)).toEqual(['VTScore', 'Verdict', 'VT link']);
    for (const row of table.slice(1)) expect(row.slice(12, 15)).toEqual([null, null, null]);
  });

  it('adds no Hashes sheet when the only VirusTotal fact is "not hashed"', () => {
    const data = withoutVt(makeRunExport());
    const kernel = data.processes.find((p) => p.pid === 2);
    if (!kernel) throw new Error('fixture has no kernel thread');
    kernel.vt = { state: 'not-hashed', reason: 'kernel-thread' };
    expect(XLSX.read(buildRunWorkbook(data)).SheetNames).toEqual(['Processes', 'Run']);
  });

  it('keeps formula-like text exactly, as text cells, and never writes a formula', () => {
    expect(processRow(2001)[0]).toBe(HOSTILE.formula);
    expect(processRow(2002)[2]).toBe('-evil');
    expect(processRow(2007)[11]).toBe('@SUM(1)');
    const ws = sheet('Processes');
    const ref = Object.keys(ws).find((k) => ws[k]?.v === HOSTILE.formula);
    expect(ref && ws[ref]?.t).toBe('s');
    // Typed string cells in the shared-string table: a spreadsheet shows them, never evaluates them.
    expect(zipPart('/xl/worksheets/sheet1.xml')).not.toContain('<f>');
    for (const name of book.SheetNames) {
      for (const [ref, cell] of Object.entries(sheet(name))) {
        if (ref.startsWith('!')) continue;
        expect((cell as XLSX.CellObject).f, `${name}!${ref}`).toBeUndefined();
      }
    }
  });

  it('keeps hostile text intact as text', () => {
    // SheetJS reads CRLF inside a cell back as LF.
    expect(processRow(2002)[0]).toBe('evil\nname');
    expect(processRow(2003)[0]).toBe(HOSTILE.rtlOverride);
    expect(processRow(2004)[0]).toBe(HOSTILE.html);
    expect(processRow(2004)[4]).toBe('/tmp/a,"b".sh');
    expect(processRow(2005)[0]).toBe(HOSTILE.long);
  });

  it('keeps a literal _xHHHH_ from being decoded into a formula', () => {
    expect(processRow(2006)[0]).toBe(HOSTILE.ooxmlEscape);
    expect(zipPart('/xl/sharedStrings.xml')).toContain('_x005F_x003D_1+1');
  });

  it('replaces XML-illegal characters so the file stays valid', () => {
    expect(processRow(2007)[0]).toBe('bad\uFFFD\uFFFDname\uFFFD');
  });

  it('clips text to the Excel cell limit instead of failing', () => {
    const big = makeRunExport();
    const [first] = big.processes;
    if (!first) throw new Error('fixture has no processes');
    first.exeError = `${'_x0041_'.repeat(6000)}tail`;
    const ws = XLSX.read(buildRunWorkbook(big)).Sheets.Processes;
    const text = String(ws?.L2?.v);
    expect(text.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(text.startsWith('_x0041__x0041_')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(MAX_XLSX_CELL_TEXT);
  });

  it('freezes the header row and puts an autofilter on it', () => {
    const xml = zipPart('/xl/worksheets/sheet1.xml');
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet('Processes')['!autofilter']?.ref).toBe('A1:S10');
  });

  it('sets column widths', () => {
    // SheetJS only reads widths back with cellStyles.
    const styled = XLSX.read(buffer, { cellStyles: true }).Sheets.Processes;
    const widths = (styled?.['!cols'] ?? []).map((c) => Math.round(c.wch ?? 0));
    expect(widths).toHaveLength(19);
    expect(widths[7]).toBeGreaterThanOrEqual(64); // a SHA-256 fits
  });

  it('makes the VT link a hyperlink to the same address', () => {
    const ws = sheet('Processes');
    const link = ws.O2 as XLSX.CellObject;
    expect(link.v).toBe(vtGuiLink(SHA.empty));
    expect(link.l?.Target).toBe(vtGuiLink(SHA.empty));
    expect(ws.O1?.l).toBeUndefined();
    expect(sheet('Hashes').J2?.l?.Target).toBe(vtGuiLink(SHA.malicious));
  });

  it('builds a valid workbook for a run with no processes', () => {
    const empty = makeRunExport();
    empty.processes = [];
    const read = XLSX.read(buildRunWorkbook(empty));
    const table = XLSX.utils.sheet_to_json<unknown[]>(read.Sheets.Processes ?? {}, { header: 1 });
    expect(table).toHaveLength(1);
  });

  it('is deterministic: the same run gives the same bytes', () => {
    expect(buildRunWorkbook(makeRunExport()).equals(buffer)).toBe(true);
  });
});
