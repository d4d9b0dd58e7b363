import { describe, expect, it } from 'vitest';
import { TEXT_MAX } from '@/domain/limits';
import { buildRunWorkbook } from '@/server/services/artifacts';
import { HOSTILE, makeRunExport, SHA } from '@/tests/export-fixture';
import { OLD_MD5, oldScriptWorkbook, patchDeclaredSize, rejection, workbookFromRows } from '@/tests/import-fixtures';
import { findHeader } from './header';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, IMPORT_MAX_UNCOMPRESSED_BYTES, readImportWorkbook } from './read-workbook';

describe('header detection', () => {
  it('finds "Process Name"/"MD5" below a title, case- and space-insensitively', () => {
    const found = findHeader([['Report'], [], ['  PROCESS  NAME', ' md5 ']]);
    expect(found).toEqual({ index: 2, header: { name: 0, md5: 1 } });
  });

  it('reads "Name"/"Hash" as the name and MD5 columns, and prefers an explicit MD5 column to "Hash"', () => {
    expect(findHeader([['Hash', 'Name']])).toEqual({ index: 0, header: { name: 1, md5: 0 } });
    expect(findHeader([['Name', 'Hash', 'MD5']])?.header).toEqual({ name: 0, md5: 2 });
  });

  it('maps the ProcLens process sheet columns', () => {
    const h = findHeader([
      ['Process', 'PID', 'User', 'Memory %', 'Executable', 'MD5', 'SHA-1', 'SHA-256', 'Exe status'],
    ]);
    expect(h?.header).toMatchObject({
      name: 0,
      pid: 1,
      user: 2,
      memoryPercent: 3,
      exe: 4,
      md5: 5,
      sha1: 6,
      sha256: 7,
      exeStatus: 8,
    });
  });

  it('needs both a name and a hash column', () => {
    expect(findHeader([['Process Name', 'PID']])).toBeNull();
    expect(findHeader([['MD5']])).toBeNull();
  });
});

describe('readImportWorkbook: the older script', () => {
  it('reads a name + MD5 sheet whose header is on row 3', () => {
    const wb = readImportWorkbook(oldScriptWorkbook());
    expect(wb).toMatchObject({ shape: 'md5-only', sheet: 'Sheet1', headerRow: 3, host: null });
    expect(wb.processes.map((p) => [p.row, p.name, p.hashes?.md5 ?? null, p.exeStatus])).toEqual([
      [4, 'sshd', OLD_MD5.known, 'ok'],
      [5, '=cmd|calc', OLD_MD5.notFound, 'ok'],
      [6, 'sshd', OLD_MD5.known, 'ok'],
      [7, 'kthreadd', null, 'unknown'],
    ]);
  });

  it('takes a formula cell by its cached value and never its formula', () => {
    const wb = readImportWorkbook(
      workbookFromRows([
        ['Name', 'Hash'],
        [
          { t: 's', v: 'cached-name', f: 'CONCAT("a","b")' },
          { t: 's', v: OLD_MD5.known, f: 'LOWER(B9)' },
        ],
      ]),
    );
    expect(wb.processes[0]).toMatchObject({ name: 'cached-name', hashes: { md5: OLD_MD5.known } });
  });

  it('rejects malformed hashes with their count and first row numbers, importing nothing', () => {
    const rows = [
      ['Process Name', 'MD5'],
      ...Array.from({ length: 8 }, (_, i) => [`p${i}`, i % 2 ? 'xyz' : OLD_MD5.known]),
    ];
    const msg = rejection(workbookFromRows(rows));
    expect(msg).toContain('4 rows have a malformed or incomplete hash (rows 3, 5, 7, 9)');
    expect(msg).toContain('Nothing was imported');
  });

  it(`rejects more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows`, () => {
    const rows = [['Name', 'MD5'], ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => [`p${i}`, OLD_MD5.known])];
    expect(rejection(workbookFromRows(rows))).toBe(
      `The sheet has more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} process rows; split it and import the parts.`,
    );
  });

  it('says which headers it looked for when no sheet has them', () => {
    expect(
      rejection(
        workbookFromRows([
          ['Foo', 'Bar'],
          ['a', 'b'],
        ]),
      ),
    ).toMatch(/No sheet has a header row .*"Process Name".*"MD5", "Hash" or "SHA-256"/);
  });
});

describe('readImportWorkbook: a ProcLens workbook', () => {
  it('reads processes with all three hashes, host facts and the start time, names exactly as written', () => {
    // The fixture's longest name is over an agent's budget, which imports share: shortened to fit.
    const full = makeRunExport();
    const longest = HOSTILE.long.slice(0, TEXT_MAX.processName);
    const data = {
      ...full,
      processes: full.processes.map((p) => (p.name === HOSTILE.long ? { ...p, name: longest } : p)),
    };
    const wb = readImportWorkbook(buildRunWorkbook(data));
    expect(wb.shape).toBe('proclens');
    expect(wb.sheet).toBe('Processes');
    expect(wb.host).toMatchObject({
      hostname: 'build-01.example',
      distro: 'Ubuntu',
      cpuCores: 8,
      totalMemoryBytes: 16_663_093_248,
    });
    expect(wb.startedAt?.toISOString()).toBe(data.run.startedAt.toISOString());
    expect(wb.minMemoryPercent).toBe(0.5);
    expect(wb.processes).toHaveLength(data.processes.length);
    const names = wb.processes.map((p) => p.name);
    for (const hostile of [HOSTILE.formula, HOSTILE.rtlOverride, HOSTILE.html, longest]) {
      expect(names).toContain(hostile);
    }
    // Known limit: SheetJS's reader turns a CR LF inside a cell into LF (the file holds both).
    expect(names).toContain(HOSTILE.crlf.replace('\r\n', '\n'));
    const pg = wb.processes.find((p) => p.name === 'postgres');
    expect(pg).toMatchObject({
      pid: 1234,
      user: 'postgres',
      exe: '/usr/lib/postgresql/16/bin/postgres',
      package: 'postgresql-16',
      integrity: 'matches',
      hashes: { sha256: SHA.empty },
    });
  });
});

describe('readImportWorkbook: wrong and hostile files', () => {
  it('rejects an empty file, an .xls, a CSV and random bytes with a sentence each', () => {
    expect(rejection(Buffer.alloc(0))).toBe('The file is empty.');
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
    expect(rejection(xls)).toMatch(/old Excel 97-2003 \(\.xls\) file/);
    expect(rejection(Buffer.from('Process Name,MD5\nsshd,c4ca4238a0b923820dcc509a6f75849b\n'))).toMatch(
      /text file \(CSV\?\)/,
    );
    expect(rejection(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x01]))).toMatch(/not an \.xlsx workbook/);
  });

  it('rejects a file over the byte cap before reading it', () => {
    expect(rejection(Buffer.alloc(IMPORT_MAX_BYTES + 1))).toMatch(/larger than 25 MB/);
  });

  it('rejects a truncated (corrupt) workbook', () => {
    const good = oldScriptWorkbook();
    expect(rejection(good.subarray(0, Math.floor(good.length / 2)))).toMatch(/damaged/);
  });

  it('rejects a zip bomb by its declared sizes before inflating', () => {
    const bomb = patchDeclaredSize(oldScriptWorkbook(), 'xl/worksheets/sheet1.xml', 0xfff0_0000);
    expect(rejection(bomb)).toBe(
      `The workbook would expand to more than ${IMPORT_MAX_UNCOMPRESSED_BYTES / 2 ** 20} MB; it is not imported.`,
    );
  });

  it('rejects a part that inflates to more than its directory declares', () => {
    const liar = patchDeclaredSize(oldScriptWorkbook(), 'xl/worksheets/sheet1.xml', 10);
    expect(rejection(liar)).toMatch(/expands to a different size/);
  });

  it('rejects a zip that is not a workbook', () => {
    // A workbook's zip with the workbook part renamed is a zip archive of something else.
    const zip = oldScriptWorkbook();
    const renamed = Buffer.from(zip.toString('latin1').replaceAll('xl/workbook.xml', 'xl/notebook.xml'), 'latin1');
    expect(rejection(renamed)).toMatch(/not an \.xlsx workbook \(it has no workbook part\)/);
  });
});
