import { afterAll } from 'vitest';
import * as XLSX from 'xlsx';

/**
 * Reading a workbook ProcLens wrote, for the workbook tests (server/services/artifacts/workbook*.test.ts):
 * its sheets as rows, one process's row, one Run fact, a raw part of the zip.
 */

/** Builds in `tz` (set before the module builds its workbook), and restores the zone after the file. */
export function pinTimeZone(tz: string): void {
  const original = process.env.TZ;
  process.env.TZ = tz;
  afterAll(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
}

export function readWorkbook(buffer: Buffer) {
  const book = XLSX.read(buffer);
  const rows = (name: string, from: XLSX.WorkBook = book): unknown[][] => {
    const ws = from.Sheets[name];
    if (!ws) throw new Error(`missing sheet ${name}`);
    return XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null, raw: true });
  };
  return {
    book,
    rows,
    sheet(name: string): XLSX.WorkSheet {
      const ws = book.Sheets[name];
      if (!ws) throw new Error(`missing sheet ${name}`);
      return ws;
    },
    /** Row of the Processes sheet for a pid (column B). */
    processRow(pid: number): unknown[] {
      const row = rows('Processes').find((r) => r[1] === pid);
      if (!row) throw new Error(`no row for pid ${pid}`);
      return row;
    },
    runFact(label: string): unknown {
      return rows('Run').find((r) => r[0] === label)?.[1];
    },
    /** Raw XML of one part of the .xlsx zip. */
    zipPart(path: string): string {
      const zip: unknown = XLSX.CFB.read(buffer, { type: 'buffer' });
      const entry = XLSX.CFB.find(zip, path) as { content: Uint8Array } | null;
      if (!entry) throw new Error(`missing ${path}`);
      return Buffer.from(entry.content).toString('utf8');
    },
  };
}
