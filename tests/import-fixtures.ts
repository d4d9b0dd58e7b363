import * as XLSX from 'xlsx';
import { expect } from 'vitest';
import { ImportRejectedError, readImportWorkbook } from '@/server/services/imports/read-workbook';

/**
 * Test data only: workbooks shaped like the older script's (a name column and an MD5 column, the
 * header anywhere near the top), built with SheetJS the way a spreadsheet program would save them.
 */
export type FixtureCell = string | number | null | XLSX.CellObject;

export function workbookFromRows(
  rows: FixtureCell[][],
  sheetName = 'Sheet1',
  extra: Record<string, FixtureCell[][]> = {},
): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, data] of [[sheetName, rows] as const, ...Object.entries(extra)]) {
    const sheet: XLSX.WorkSheet = {};
    let maxC = 0;
    data.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null) return;
        const cell: XLSX.CellObject = typeof v === 'object' ? v : typeof v === 'number' ? { t: 'n', v } : { t: 's', v };
        sheet[XLSX.utils.encode_cell({ r, c })] = cell;
        maxC = Math.max(maxC, c);
      }),
    );
    sheet['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(0, data.length - 1), c: maxC } });
    XLSX.utils.book_append_sheet(wb, sheet, name);
  }
  const out: unknown = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(out)) throw new Error('SheetJS did not return a Buffer');
  return out;
}

/** Known MD5s (of the strings "1", "2", "3") the fake VirusTotal can be seeded with. */
export const OLD_MD5 = {
  known: 'c4ca4238a0b923820dcc509a6f75849b',
  notFound: 'c81e728d9d4c2f636f067f89cc14862c',
  other: 'eccbc87e4b5ce2fe28308fd9f2a7baf3',
} as const;

/** The older script's sheet: a title line, a blank line, then "Process Name" / "MD5" (row 3). */
export function oldScriptWorkbook(): Buffer {
  return workbookFromRows([
    ['All process hash (real time)'],
    [],
    ['  Process Name ', 'MD5 '],
    ['sshd', OLD_MD5.known],
    ['=cmd|calc', OLD_MD5.notFound.toUpperCase()],
    ['sshd', OLD_MD5.known],
    ['kthreadd', ''],
  ]);
}

/**
 * Sets the uncompressed size the entry called `name` declares, in its local header and its
 * central-directory entry alike (a consistent lie, as a zip bomb tells it).
 */
export function patchDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let p = 0; p + 46 < out.length; p++) {
    if (out.readUInt32LE(p) !== 0x02014b50) continue;
    const nameLen = out.readUInt16LE(p + 28);
    if (out.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      out.writeUInt32LE(size, p + 24);
      out.writeUInt32LE(size, out.readUInt32LE(p + 42) + 22);
      return out;
    }
  }
  throw new Error(`no entry ${name}`);
}

/** Reads `bytes` as an import, expects the import to refuse it, and returns the sentence it gives. */
export function rejection(bytes: Buffer): string {
  try {
    readImportWorkbook(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportRejectedError);
    return (e as Error).message;
  }
  throw new Error('expected the workbook to be rejected');
}
