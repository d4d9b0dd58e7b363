import { describe, expect, it } from 'vitest';
import { TEXT_MAX } from '@/domain/limits';
import {
  eocdTrickWorkbook,
  hugeCellWorkbook,
  inlineCell,
  numberCell,
  nulWorkbook,
  oneRowWorkbook,
  overlappingWorkbook,
  sheetXml,
  trailingDataWorkbook,
  workbookParts,
} from '@/tests/hostile-workbooks';
import { manyStringsWorkbook, tinyCellsWorkbook, widestRowsWorkbook } from '@/tests/large-workbooks';
import { OLD_MD5, oldScriptWorkbook, rejection, workbookFromRows } from '@/tests/import-fixtures';
import { deflateRepeated, localHeader, partsOf, zipArchive } from '@/tests/zip-fixtures';
import {
  IMPORT_MAX_CELLS,
  IMPORT_MAX_SHARED_STRINGS,
  IMPORT_MAX_TEXT_CHARS,
  IMPORT_MAX_UNCOMPRESSED_BYTES,
  readImportWorkbook,
} from './read-workbook';

/** Issue #17, items 1 and 2: what reaches SheetJS is what was checked, and every value has a budget. */

const MIB = 2 ** 20;

describe('one zip reader decides', () => {
  it('refuses a workbook whose last bytes hold a second end record (SheetJS would read a hidden directory)', () => {
    expect(rejection(eocdTrickWorkbook({ partBytes: 8 * MIB }))).toBe(
      'The workbook is not imported: it has data after the end of its zip directory.',
    );
    expect(rejection(eocdTrickWorkbook({ partBytes: 8 * MIB, asComment: true }))).toBe(
      'The workbook is not imported: it holds a second zip directory end record.',
    );
  });

  it('refuses trailing data and parts that share bytes', () => {
    expect(rejection(trailingDataWorkbook())).toMatch(/data after the end of its zip directory/);
    expect(rejection(overlappingWorkbook(3, 8 * MIB))).toMatch(/zip parts overlap/);
  });

  it('never inflates a part the import does not read: a 1 GiB image beside the sheet is no obstacle', () => {
    const bomb = deflateRepeated(Buffer.alloc(MIB), 1024 * MIB);
    const parts = partsOf(oldScriptWorkbook());
    const honest = zipArchive(parts);
    // Re-assembled with the image first, its headers telling the truth about 1 GiB.
    const image = Buffer.concat([
      localHeader({
        name: 'xl/media/image1.png',
        method: 8,
        flags: 0,
        crc: bomb.crc,
        compressedSize: bomb.data.length,
        uncompressedSize: bomb.size,
      }),
      bomb.data,
    ]);
    const withImage = withLeadingRecord(honest, image, {
      name: 'xl/media/image1.png',
      crc: bomb.crc,
      compressedSize: bomb.data.length,
      uncompressedSize: bomb.size,
    });
    const before = process.memoryUsage().rss;
    expect(readImportWorkbook(withImage).processes).toHaveLength(4);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * MIB);
  });

  it('refuses what would inflate past the budget by its declared size, before inflating (the 250 MB cell)', () => {
    expect(rejection(hugeCellWorkbook(250 * MIB))).toBe(
      `The workbook would expand to more than ${IMPORT_MAX_UNCOMPRESSED_BYTES / MIB} MB; it is not imported.`,
    );
  });
});

describe('text budgets, named by row and field', () => {
  const longest = 'n'.repeat(TEXT_MAX.processName);

  it('takes a name of exactly the budget and refuses one character more', () => {
    const ok = workbookFromRows([
      ['Process', 'MD5'],
      [longest, OLD_MD5.known],
    ]);
    expect(readImportWorkbook(ok).processes[0]?.name).toBe(longest);
    const over = workbookFromRows([
      ['Process', 'MD5'],
      ['sshd', OLD_MD5.known],
      [`${longest}x`, OLD_MD5.known],
    ]);
    expect(rejection(over)).toBe('Row 3: Process is longer than 4,096 characters. Nothing was imported.');
  });

  it('names the field for users, paths and errors too', () => {
    const rows = (header: string, value: string) =>
      workbookFromRows([
        ['Process', 'MD5', header],
        ['sshd', OLD_MD5.known, value],
      ]);
    expect(rejection(rows('User', 'u'.repeat(TEXT_MAX.user + 1)))).toBe(
      'Row 2: User is longer than 256 characters. Nothing was imported.',
    );
    expect(rejection(rows('Executable', '/'.repeat(TEXT_MAX.path + 1)))).toMatch(/^Row 2: Executable is longer/);
    expect(rejection(rows('Exe error', 'e'.repeat(TEXT_MAX.error + 1)))).toMatch(/^Row 2: Exe error is longer/);
  });

  it('refuses a cell too long to be read at all (over 64 KB of XML) by its row and field, inline or shared', () => {
    const inline = oneRowWorkbook({ name: inlineCell('A2', 'x'.repeat(MIB)) });
    expect(rejection(inline)).toBe('Row 2: Process is longer than 4,096 characters. Nothing was imported.');
    expect(rejection(hugeCellWorkbook(MIB, 'shared'))).toBe(
      'Row 2: Process is longer than 4,096 characters. Nothing was imported.',
    );
  });

  it('refuses a Run sheet host fact over its budget', () => {
    const wb = workbookFromRows(
      [
        ['Process', 'MD5'],
        ['sshd', OLD_MD5.known],
      ],
      'Processes',
      { Run: [['Hostname', 'h'.repeat(TEXT_MAX.hostname + 1)]] },
    );
    expect(rejection(wb)).toBe('The Run sheet: Hostname is longer than 256 characters. Nothing was imported.');
  });

  it(`refuses processes holding more than ${IMPORT_MAX_TEXT_CHARS.toLocaleString('en-US')} characters in all`, () => {
    expect(rejection(widestRowsWorkbook(1700))).toMatch(/^The processes hold more than 16,777,216 characters of text/);
  });
});

describe('NUL and numbers never reach the database', () => {
  it('refuses NUL written as _x0000_ or &#0; (SheetJS decodes both to U+0000)', () => {
    expect(rejection(nulWorkbook())).toBe('Row 2: Process must not contain a NUL character. Nothing was imported.');
    expect(rejection(oneRowWorkbook({ name: inlineCell('A2', 'a&#0;b') }))).toMatch(/NUL character/);
    const user = workbookFromRows([
      ['Process', 'MD5', 'User'],
      ['sshd', OLD_MD5.known, 'ro\u0000ot'],
    ]);
    expect(rejection(user)).toBe('Row 2: User must not contain a NUL character. Nothing was imported.');
    const host = workbookFromRows(
      [
        ['Process', 'MD5'],
        ['sshd', OLD_MD5.known],
      ],
      'Processes',
      { Run: [['Hostname', 'web\u000001']] },
    );
    expect(rejection(host)).toBe('The Run sheet: Hostname must not contain a NUL character. Nothing was imported.');
  });

  it('refuses numbers that are not finite, too large, negative or not numbers', () => {
    const pid = (v: string) => oneRowWorkbook({ extra: numberCell('C2', v) });
    expect(rejection(pid('1e300'))).toBe(
      'Row 2: PID must be a whole number from 0 to 2,147,483,647. Nothing was imported.',
    );
    expect(rejection(pid('1e999'))).toMatch(/^Row 2: PID must be a whole number/);
    expect(rejection(pid('-1'))).toMatch(/^Row 2: PID must be a whole number/);
    expect(rejection(oneRowWorkbook({ extra: inlineCell('C2', 'lots') }))).toMatch(/^Row 2: PID must be/);
    const mem = workbookFromRows([
      ['Process', 'MD5', 'Memory %'],
      ['sshd', OLD_MD5.known, 1e10],
    ]);
    expect(rejection(mem)).toBe('Row 2: Memory % must be a number from 0 to 100. Nothing was imported.');
    const cores = workbookFromRows(
      [
        ['Process', 'MD5'],
        ['sshd', OLD_MD5.known],
      ],
      'Processes',
      {
        Run: [
          ['Hostname', 'h'],
          ['CPU cores', 1e300],
        ],
      },
    );
    expect(rejection(cores)).toMatch(/^The Run sheet: CPU cores must be a whole number/);
  });

  it('still reads an empty number cell as 0 and a number written as text', () => {
    const wb = readImportWorkbook(oneRowWorkbook({ extra: inlineCell('C2', ' 42 ') }));
    expect(wb.processes[0]).toMatchObject({ pid: 42, ppid: 0 });
  });
});

describe('count budgets', () => {
  it(`refuses more than ${IMPORT_MAX_CELLS.toLocaleString('en-US')} cells before SheetJS reads them`, () => {
    expect(rejection(tinyCellsWorkbook(IMPORT_MAX_CELLS + 1000))).toBe(
      `The workbook has more than ${IMPORT_MAX_CELLS.toLocaleString('en-US')} cells; split it and import the parts.`,
    );
  });

  it(`refuses more than ${IMPORT_MAX_SHARED_STRINGS.toLocaleString('en-US')} shared texts`, () => {
    expect(rejection(manyStringsWorkbook(IMPORT_MAX_SHARED_STRINGS + 1))).toBe(
      `The workbook has more than ${IMPORT_MAX_SHARED_STRINGS.toLocaleString('en-US')} shared texts; split it and import the parts.`,
    );
  });

  it('hands SheetJS no part it could mistake for another format', () => {
    // An OpenDocument manifest would make SheetJS read the file as .ods: it is never handed over.
    const parts = workbookParts([
      {
        name: 'Sheet1',
        xml: Buffer.from(sheetXml(`<row r="1">${inlineCell('A1', 'Name')}${inlineCell('B1', 'MD5')}</row>`)),
      },
    ]);
    const zip = zipArchive([...parts, { name: 'META-INF/manifest.xml', data: Buffer.from('<manifest/>') }]);
    expect(readImportWorkbook(zip)).toMatchObject({ sheet: 'Sheet1', processes: [] });
  });
});

/** `zip` with one more record placed first (offsets of the others moved along). */
function withLeadingRecord(
  zip: Buffer,
  record: Buffer,
  e: { name: string; crc: number; compressedSize: number; uncompressedSize: number },
): Buffer {
  const eocd = zip.length - 22;
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const cd = Buffer.from(zip.subarray(cdOffset, eocd));
  for (let p = 0; p < cd.length;) {
    cd.writeUInt32LE(cd.readUInt32LE(p + 42) + record.length, p + 42);
    p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  const name = Buffer.from(e.name);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE(20, 4);
  entry.writeUInt16LE(20, 6);
  entry.writeUInt16LE(8, 10);
  entry.writeUInt32LE(e.crc >>> 0, 16);
  entry.writeUInt32LE(e.compressedSize, 20);
  entry.writeUInt32LE(e.uncompressedSize, 24);
  entry.writeUInt16LE(name.length, 28);
  const newCd = Buffer.concat([cd, entry, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count + 1, 8);
  end.writeUInt16LE(count + 1, 10);
  end.writeUInt32LE(newCd.length, 12);
  end.writeUInt32LE(cdOffset + record.length, 16);
  return Buffer.concat([record, zip.subarray(0, cdOffset), newCd, end]);
}
