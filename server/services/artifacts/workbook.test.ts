import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { VERDICT_LABELS, vtGuiLink } from '@/domain/verdict';
import { FIXTURE_VT, HOSTILE, hashesOf, makeRunExport, proc, SHA } from '@/tests/export-fixture';
import type { RunExport } from './types';
import { NOT_HASHED_LABEL } from './vt-status';
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

function rows(name: string, from: XLSX.WorkBook = book): unknown[][] {
  const ws = from.Sheets[name];
  if (!ws) throw new Error(`missing sheet ${name}`);
  return XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null, raw: true });
}

function withoutVt(run: RunExport): RunExport {
  return { ...run, processes: run.processes.map(({ vt: _vt, ...p }) => p) };
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

  it('makes the VT link a hyperlink to the same address', () => {
    const ws = sheet('Processes');
    const link = ws.O2 as XLSX.CellObject;
    expect(link.v).toBe(vtGuiLink(SHA.empty));
    expect(link.l?.Target).toBe(vtGuiLink(SHA.empty));
    expect(ws.O1?.l).toBeUndefined();
    expect(sheet('Hashes').J2?.l?.Target).toBe(vtGuiLink(SHA.malicious));
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

describe('buildRunWorkbook: Hashes sheet', () => {
  const HEADER = [
    'SHA-256',
    'MD5',
    'SHA-1',
    'VTScore',
    'Verdict',
    'Detections',
    'Threat label',
    'Processes',
    'Names',
    'VT link',
  ];

  it('has the exact header row', () => {
    expect(rows('Hashes')[0]).toEqual(HEADER);
  });

  it('lists each SHA-256 once, VTScore descending, then not found, failed, pending', () => {
    expect(
      rows('Hashes')
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([SHA.malicious, SHA.research, SHA.empty, SHA.notFound, SHA.failed, SHA.pending]);
  });

  it('writes a shared malicious hash with detections, label, count and names', () => {
    const { md5, sha1 } = hashesOf(SHA.malicious);
    expect(rows('Hashes')[1]).toEqual([
      SHA.malicious,
      md5,
      sha1,
      7,
      VERDICT_LABELS.malicious,
      '7/72',
      'trojan.mirai/gafgyt',
      2,
      // Names are untrusted: kept exactly, as text.
      `${HOSTILE.formula}, ${HOSTILE.ooxmlEscape}`,
      vtGuiLink(SHA.malicious),
    ]);
    const ws = sheet('Hashes');
    expect(ws.D2?.t).toBe('n');
    expect(ws.H2?.t).toBe('n');
  });

  it('leaves numbers and link empty for hashes without a report', () => {
    const byHash = new Map(rows('Hashes').map((r) => [r[0], r]));
    expect(byHash.get(SHA.notFound)?.slice(3, 8)).toEqual([null, VERDICT_LABELS['not-found'], null, null, 1]);
    expect(byHash.get(SHA.notFound)?.[9]).toBeNull();
    expect(byHash.get(SHA.pending)?.slice(3, 5)).toEqual([null, VERDICT_LABELS.pending]);
    expect(byHash.get(SHA.failed)?.slice(3, 5)).toEqual([null, VERDICT_LABELS.failed]);
  });

  it('freezes and filters the header row', () => {
    expect(zipPart('/xl/worksheets/sheet3.xml')).toContain('state="frozen"');
    expect(sheet('Hashes')['!autofilter']?.ref).toBe('A1:J7');
  });

  it('counts a hashed process without VirusTotal data as pending', () => {
    const data = makeRunExport();
    data.processes.push(proc({ pid: 3001, name: 'fresh', ...hashesOf('9'.repeat(64)) }));
    const table = rows('Hashes', XLSX.read(buildRunWorkbook(data)));
    expect(table.at(-1)?.slice(0, 5)).toEqual([
      '9'.repeat(64),
      '9'.repeat(32),
      '9'.repeat(40),
      null,
      VERDICT_LABELS.pending,
    ]);
  });

  it('keeps a hostile threat label exactly, as text', () => {
    const data = makeRunExport();
    data.processes.push(
      proc({
        pid: 3002,
        name: 'x',
        ...hashesOf('8'.repeat(64)),
        vt: { ...FIXTURE_VT.malicious, threatLabel: '=cmd()' },
      }),
    );
    const table = rows('Hashes', XLSX.read(buildRunWorkbook(data)));
    expect(table.find((r) => r[0] === '8'.repeat(64))?.[6]).toBe('=cmd()');
  });
});
