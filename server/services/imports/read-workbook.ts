import type * as XLSX from 'xlsx';
import type { HostDescription } from '@/domain/host';
import { IMPORT_MAX_ROWS, IMPORT_TOO_LARGE_MESSAGE, IMPORT_UPLOAD_MAX_BYTES } from '@/domain/import-limits';
import { MAX_SAFE, PERCENT_MAX, TEXT_MAX } from '@/domain/limits';
import {
  blankProcess,
  budgetOf,
  exeStatusSchema,
  minimumOf,
  type ProcessField,
  type ProcessRecord,
} from '@/domain/process';
import { boundedCellText, boundedNumber, isBlank, text, wholeNumber, type Cell } from './fields';
import { findHeader, IMPORT_COLUMNS, type HeaderMap, type ImportField } from './header';
import { ImportRejectedError } from './import-error';
import { openWorkbook } from './open-workbook';

export { ImportRejectedError } from './import-error';
export { IMPORT_MAX_CELLS, IMPORT_MAX_SHARED_STRINGS, IMPORT_MAX_UNCOMPRESSED_BYTES } from './open-workbook';

/**
 * Reads an uploaded `All_process_hash_real_time_*.xlsx` — one ProcLens wrote (Processes + Run sheets)
 * or the older script's (a process-name column and an MD5 column) — into rows ready to store.
 * Untrusted input: bounded in bytes, zip parts, inflated size, cells and rows, and every value
 * within the budgets of domain/limits; formulas are never evaluated (a formula cell counts by its
 * cached value); text is kept exactly as the cell holds it.
 */
export const IMPORT_MAX_BYTES = IMPORT_UPLOAD_MAX_BYTES;
export { IMPORT_MAX_ROWS } from '@/domain/import-limits';
/** All the text the rows store (names, users, paths…): what storing them costs is proportional to it. */
export const IMPORT_MAX_TEXT_CHARS = 16 * 1024 * 1024;
/** Rows of a sheet searched for its header. */
export const HEADER_SEARCH_ROWS = 50;
/** Row numbers named in the malformed-hash message. */
const ROWS_NAMED = 5;

/** A process read from a sheet: what the sheet says, the rest not recorded (domain/process.ts). */
export type ImportedProcess = Omit<ProcessRecord, 'hashes'> & {
  /** The row's number in its sheet, as a spreadsheet shows it. */
  row: number;
  /** All three (a ProcLens row), only md5 (the older script), or none (not hashed). */
  hashes: { md5: string; sha1: string; sha256: string } | { md5: string; sha1: null; sha256: null } | null;
};

export interface ImportedWorkbook {
  /** `proclens`: full hashes; `md5-only`: the older script's name + MD5 sheet. */
  shape: 'proclens' | 'md5-only';
  sheet: string;
  headerRow: number;
  /** Host facts from the "Run" sheet; null when the workbook has none. */
  host: HostDescription | null;
  startedAt: Date | null;
  minMemoryPercent: number;
  processes: ImportedProcess[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return false;
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/u.test(head.toString('utf8').replace(/\uFFFD/g, ''));
}

/** The first sentence-level gate: is this an .xlsx at all, and within the byte and zip limits? */
function checkContainer(bytes: Buffer): void {
  if (bytes.length === 0) throw new ImportRejectedError('The file is empty.');
  if (bytes.length > IMPORT_MAX_BYTES) {
    throw new ImportRejectedError(IMPORT_TOO_LARGE_MESSAGE);
  }
  if (bytes.subarray(0, 8).equals(OLE_MAGIC)) {
    throw new ImportRejectedError(
      'This is an old Excel 97-2003 (.xls) file. Only .xlsx workbooks can be imported: save it as .xlsx first.',
    );
  }
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new ImportRejectedError(
      looksLikeText(bytes)
        ? 'This is a text file (CSV?), not a workbook. Only .xlsx workbooks can be imported.'
        : 'This is not an .xlsx workbook. Only .xlsx workbooks can be imported.',
    );
  }
}

const HEX = { md5: /^[0-9a-f]{32}$/, sha1: /^[0-9a-f]{40}$/, sha256: /^[0-9a-f]{64}$/ };
const EXE_STATUSES = new Set<string>(exeStatusSchema.options);

/** A label column's values: by label or by code, case-insensitively → the code; else null. */
function codeOf(labels: Readonly<Record<string, string>>): (v: Cell) => string | null {
  const codes = new Map(
    Object.entries(labels).flatMap(([code, label]) => [[label.toLowerCase(), code] as const, [code, code] as const]),
  );
  return (v) => codes.get(text(v).trim().toLowerCase()) ?? null;
}

/**
 * How each imported column is read, within its field's schema (domain/process.ts; the refusal names
 * the header). `undefined`: the cell is empty, the field keeps its blank.
 */
type ColumnReader = { field: ImportField; read: (v: Cell, where: string) => unknown };
const READERS = IMPORT_COLUMNS.flatMap((c): ColumnReader[] => {
  const label = c.header;
  const field = c.field as ProcessField;
  const reader = (read: ColumnReader['read']): ColumnReader[] => [{ field: c.field, read }];
  switch (c.read.kind) {
    case 'text': {
      const max = budgetOf(field);
      return reader((v, where) => boundedCellText(v, max, where, label) || undefined);
    }
    case 'whole': {
      const [min, max] = [minimumOf(field), budgetOf(field)];
      return reader((v, where) => (isBlank(v) ? undefined : wholeNumber(v, max, where, label, min)));
    }
    case 'number': {
      const max = c.read.max ?? budgetOf(field);
      return reader((v, where) => (isBlank(v) ? undefined : boundedNumber(v, max, where, label)));
    }
    case 'label':
      return reader(codeOf(c.read.labels));
    default:
      // Hashes come as a set and the exe status follows from them: readProcesses reads both.
      return [];
  }
});
const BLANK: Record<string, unknown> = blankProcess('unknown');

const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_SERIAL = 25_569;

/** A date cell written as UTC wall clock (the Run sheet's "Started (UTC)"), or null. */
function utcSerialToDate(v: Cell | undefined): Date | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const d = new Date(Math.round((v - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
  const year = d.getUTCFullYear();
  return year >= 1990 && year <= 2200 ? d : null;
}

/** A dense sheet's cells by row and column (0-based, as the sheet numbers them less one). */
interface SheetCells {
  rowCount: number;
  row(r: number): readonly (XLSX.CellObject | undefined)[];
}

function sheetCells(sheet: XLSX.WorkSheet): SheetCells {
  const data = ((sheet as XLSX.DenseWorkSheet)['!data'] ?? []) as ((XLSX.CellObject | undefined)[] | undefined)[];
  return { rowCount: data.length, row: (r) => data[r] ?? [] };
}

/** A cell's cached value; error cells (#N/A…) and empty stubs read as no value. */
function valueOf(cell: XLSX.CellObject | undefined): Cell {
  if (!cell || cell.t === 'e' || cell.t === 'z' || cell.v === undefined || cell.v instanceof Date) return null;
  return cell.v;
}

const RUN = 'The Run sheet';

/** Host facts and run facts from a ProcLens "Run" sheet (label in column A, value in B). */
function readRunSheet(sheet: SheetCells): { host: HostDescription | null; startedAt: Date | null; minMem: number } {
  const facts = new Map<string, Cell>();
  for (let r = 0; r < Math.min(sheet.rowCount, 200); r++) {
    const row = sheet.row(r);
    facts.set(text(valueOf(row[0])).trim().toLowerCase(), valueOf(row[1]));
  }
  const fact = (label: string, max: number) => boundedCellText(facts.get(label.toLowerCase()), max, RUN, label);
  const hostname = fact('Hostname', TEXT_MAX.hostname).trim();
  const host: HostDescription | null = hostname
    ? {
        hostname,
        platform: fact('Platform', TEXT_MAX.shortFact),
        distro: fact('Distro', TEXT_MAX.hostFact),
        release: fact('Release', TEXT_MAX.hostFact),
        kernel: fact('Kernel', TEXT_MAX.hostFact),
        arch: fact('Arch', TEXT_MAX.shortFact),
        totalMemoryBytes: wholeNumber(facts.get('total memory (bytes)'), MAX_SAFE, RUN, 'Total memory (bytes)'),
        cpuModel: fact('CPU model', TEXT_MAX.hostFact),
        cpuCores: wholeNumber(facts.get('cpu cores'), 1_000_000, RUN, 'CPU cores'),
      }
    : null;
  return {
    host,
    startedAt: utcSerialToDate(facts.get('started (utc)') ?? null),
    minMem: boundedNumber(facts.get('minimum memory %'), PERCENT_MAX, RUN, 'Minimum memory %'),
  };
}

function malformedMessage(rows: number[]): string {
  const first = rows.slice(0, ROWS_NAMED).join(', ');
  const more = rows.length > ROWS_NAMED ? ', …' : '';
  const what = rows.length === 1 ? `Row ${first} has` : `${rows.length} rows have`;
  const where = rows.length === 1 ? '' : ` (rows ${first}${more})`;
  return (
    `${what} a malformed or incomplete hash${where}: an MD5 is 32 hex digits, a SHA-1 40 and a SHA-256 64, ` +
    'and a SHA-256 comes with its MD5 and SHA-1. Nothing was imported; fix those rows and try again.'
  );
}

function hashesOf(md5: string, sha1: string, sha256: string): ImportedProcess['hashes'] | 'malformed' {
  if (sha256 !== '' || sha1 !== '') {
    return HEX.sha256.test(sha256) && HEX.sha1.test(sha1) && HEX.md5.test(md5) ? { md5, sha1, sha256 } : 'malformed';
  }
  if (md5 === '') return null;
  return HEX.md5.test(md5) ? { md5, sha1: null, sha256: null } : 'malformed';
}

function readProcesses(sheet: SheetCells, header: HeaderMap, headerIndex: number): ImportedProcess[] {
  const out: ImportedProcess[] = [];
  const malformed: number[] = [];
  let textChars = 0;
  for (let i = headerIndex + 1; i < sheet.rowCount; i++) {
    const r = sheet.row(i);
    if (r.every((c) => text(valueOf(c)).trim() === '')) continue;
    if (out.length + malformed.length >= IMPORT_MAX_ROWS) {
      throw new ImportRejectedError(
        `The sheet has more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} process rows; split it and import the parts.`,
      );
    }
    const rowNumber = i + 1;
    const where = `Row ${rowNumber}`;
    const at = (col: number | undefined) => (col === undefined ? null : valueOf(r[col]));
    const hashText = (col: number | undefined) => text(at(col)).trim().toLowerCase();
    const hashes = hashesOf(hashText(header.md5), hashText(header.sha1), hashText(header.sha256));
    if (hashes === 'malformed') {
      malformed.push(rowNumber);
      continue;
    }
    const p: Record<string, unknown> = blankProcess('unknown');
    for (const c of READERS) {
      const v = c.read(at(header[c.field]), where);
      if (typeof v === 'string') textChars += v.length;
      p[c.field] = v === undefined ? BLANK[c.field] : v;
    }
    const exeStatus = text(at(header.exeStatus)).trim();
    p.exeStatus = EXE_STATUSES.has(exeStatus) ? exeStatus : hashes ? 'ok' : 'unknown';
    out.push({ ...(p as Omit<ProcessRecord, 'hashes'>), row: rowNumber, hashes });
    if (textChars > IMPORT_MAX_TEXT_CHARS) {
      throw new ImportRejectedError(
        `The processes hold more than ${IMPORT_MAX_TEXT_CHARS.toLocaleString('en-US')} characters of text ` +
          `(by row ${rowNumber}); split the sheet and import the parts.`,
      );
    }
  }
  if (malformed.length > 0) throw new ImportRejectedError(malformedMessage(malformed));
  return out;
}

export function readImportWorkbook(bytes: Buffer): ImportedWorkbook {
  checkContainer(bytes);
  const wb = openWorkbook(bytes, {
    // Cached values only: no formula text, no HTML, no styles, no formatted text; bounded rows.
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    cellNF: false,
    cellText: false,
    cellDates: false,
    sheetRows: HEADER_SEARCH_ROWS + IMPORT_MAX_ROWS + 1,
    dense: true,
  });
  if (wb.SheetNames.length === 0) throw new ImportRejectedError('The workbook has no sheets.');
  // The ProcLens "Processes" sheet first, then the others in workbook order.
  const order = [...wb.SheetNames].sort((a, b) => Number(b === 'Processes') - Number(a === 'Processes'));
  for (const name of order) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    const sheet = sheetCells(ws);
    const top = Array.from({ length: Math.min(sheet.rowCount, HEADER_SEARCH_ROWS) }, (_, r) =>
      sheet.row(r).map((c) => text(valueOf(c))),
    );
    const found = findHeader(top);
    if (!found) continue;
    const processes = readProcesses(sheet, found.header, found.index);
    const runSheet = wb.Sheets['Run'];
    const run = runSheet && name !== 'Run' ? readRunSheet(sheetCells(runSheet)) : null;
    return {
      shape: found.header.sha256 !== undefined ? 'proclens' : 'md5-only',
      sheet: name,
      headerRow: found.index + 1,
      host: run?.host ?? null,
      startedAt: run?.startedAt ?? null,
      minMemoryPercent: run?.minMem ?? 0,
      processes,
    };
  }
  throw new ImportRejectedError(
    `No sheet has a header row (in its first ${HEADER_SEARCH_ROWS} rows) with a process-name column ` +
      '("Process", "Process Name" or "Name") and a hash column ("MD5", "Hash" or "SHA-256").',
  );
}
