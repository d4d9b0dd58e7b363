import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE, makeRunExport } from './test-fixture';
import { buildRunWorkbook } from './workbook';
import { MAX_XLSX_CELL_TEXT, TRUNCATION_MARK } from './xlsx-sheet';

const originalTz = process.env.TZ;
process.env.TZ = 'Asia/Kolkata';
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

const data = makeRunExport();
const buffer = buildRunWorkbook(data);
const book = XLSX.read(buffer);

function sheet(name: string): XLSX.WorkSheet {
  const ws = book.Sheets[name];
  if (!ws) throw new Error(`missing sheet ${name}`);
  return ws;
}

function rows(name: string): unknown[][] {
  return XLSX.utils.sheet_to_json<unknown[]>(sheet(name), { header: 1, defval: null, raw: true });
}

/** Row of the Processes sheet for a pid (column B). */
function processRow(pid: number): unknown[] {
  const row = rows('Processes').find((r) => r[1] === pid);
  if (!row) throw new Error(`no row for pid ${pid}`);
  return row;
}

function runFact(label: string): unknown {
  return rows('Run').find((r) => r[0] === label)?.[1];
}

/** Raw XML of one part of the .xlsx zip. */
function zipPart(path: string): string {
  const zip: unknown = XLSX.CFB.read(buffer, { type: 'buffer' });
  const entry = XLSX.CFB.find(zip, path) as { content: Uint8Array } | null;
  if (!entry) throw new Error(`missing ${path}`);
  return Buffer.from(entry.content).toString('utf8');
}

describe('buildRunWorkbook', () => {
  it('is a compressed zip with the two sheets in order', () => {
    expect(buffer.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(buffer.readUInt16LE(8)).toBe(8); // first entry's method: deflate
    expect(book.SheetNames).toEqual(['Processes', 'Run']);
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
    ]);
    const ws = sheet('Processes');
    expect(ws.B2?.t).toBe('n');
    expect(ws.D2?.t).toBe('n');
    expect(ws.J2?.t).toBe('n');
  });

  it('leaves cells empty for null (no exe, no hashes)', () => {
    const row = processRow(2);
    expect(row[4]).toBeNull();
    expect(row.slice(5, 8)).toEqual([null, null, null]);
    expect(row[8]).toBe('kernel-thread');
  });

  it('neutralises formula-like text and never writes a formula', () => {
    expect(processRow(2001)[0]).toBe(`'${HOSTILE.formula}`);
    expect(processRow(2002)[2]).toBe("'-evil");
    expect(processRow(2007)[11]).toBe("'@SUM(1)");
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
    expect(sheet('Processes')['!autofilter']?.ref).toBe('A1:L10');
  });

  it('sets column widths', () => {
    // SheetJS only reads widths back with cellStyles.
    const styled = XLSX.read(buffer, { cellStyles: true }).Sheets.Processes;
    const widths = (styled?.['!cols'] ?? []).map((c) => Math.round(c.wch ?? 0));
    expect(widths).toHaveLength(12);
    expect(widths[7]).toBeGreaterThanOrEqual(64); // a SHA-256 fits
  });

  it('lists host and run facts on the Run sheet', () => {
    expect(runFact('Hostname')).toBe('build-01.example');
    expect(runFact('Total memory (bytes)')).toBe(16_663_093_248);
    expect(runFact('Total memory')).toBe('15.52 GiB');
    expect(runFact('CPU cores')).toBe(8);
    expect(runFact('Run ID')).toBe(42);
    expect(runFact('Started (UTC)')).toBe('2024-01-02T03:04:05.678Z');
    expect(runFact('Started (local)')).toBe('2024-01-02T08:34:05+05:30');
    expect(runFact('Finished (UTC)')).toBe('2024-01-02T03:04:09.000Z');
    expect(runFact('Duration ms')).toBe(3322);
    expect(runFact('Processes kept')).toBe(9);
    expect(runFact('Processes seen')).toBe(310);
    expect(runFact('Error')).toBeNull();
  });

  it('neutralises strings on the Run sheet too', () => {
    const hostile = makeRunExport();
    hostile.host.hostname = '=cmd()';
    hostile.run.error = '+boom';
    const run = XLSX.read(buildRunWorkbook(hostile)).Sheets.Run;
    const facts = XLSX.utils.sheet_to_json<unknown[]>(run ?? {}, { header: 1, defval: null });
    expect(facts.find((r) => r[0] === 'Hostname')?.[1]).toBe("'=cmd()");
    expect(facts.find((r) => r[0] === 'Error')?.[1]).toBe("'+boom");
  });

  it('leaves Run ID empty for a run that was not stored', () => {
    const unstored = makeRunExport();
    unstored.run.id = null;
    const run = XLSX.read(buildRunWorkbook(unstored)).Sheets.Run;
    const facts = XLSX.utils.sheet_to_json<unknown[]>(run ?? {}, { header: 1, defval: null });
    expect(facts.find((r) => r[0] === 'Run ID')?.[1]).toBeNull();
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
