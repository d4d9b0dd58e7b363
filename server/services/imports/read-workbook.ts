import * as XLSX from 'xlsx';
import { PACKAGE_INTEGRITIES, INTEGRITY_LABELS, type PackageIntegrity } from '@/domain/heuristics';
import type { HostDescription } from '@/domain/host';
import { exeStatusSchema } from '../runs/snapshot';
import { readCentralDirectory, verifyDeclaredSizes, ZipRejectedError } from './zip-guard';
import { findHeader, type HeaderMap } from './header';

/**
 * Reads an uploaded `All_process_hash_real_time_*.xlsx` — one ProcLens wrote (Processes + Run sheets)
 * or the older script's (a process-name column and an MD5 column) — into rows ready to store.
 * Untrusted input: bounded in bytes, zip parts, inflated size and rows; formulas are never
 * evaluated (a formula cell counts by its cached value); text is kept exactly as the cell holds it.
 */
export const IMPORT_MAX_BYTES = 25 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 1_000;
/** Rows of a sheet searched for its header. */
export const HEADER_SEARCH_ROWS = 50;
/** Row numbers named in the malformed-hash message. */
const ROWS_NAMED = 5;

/** Why an upload is not imported, as a sentence for the person who uploaded it. */
export class ImportRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRejectedError';
  }
}

export interface ImportedProcess {
  /** The row's number in its sheet, as a spreadsheet shows it. */
  row: number;
  name: string;
  pid: number;
  ppid: number;
  user: string;
  memoryPercent: number;
  cpuPercent: number;
  exe: string | null;
  exeStatus: string;
  exeError: string | null;
  effectiveUser: string | null;
  package: string | null;
  integrity: PackageIntegrity | null;
  /** All three (a ProcLens row), only md5 (the older script), or none (not hashed). */
  hashes: { md5: string; sha1: string; sha256: string } | { md5: string; sha1: null; sha256: null } | null;
}

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
    throw new ImportRejectedError(`The file is larger than ${IMPORT_MAX_BYTES / 2 ** 20} MB; it is not imported.`);
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
  try {
    const entries = readCentralDirectory(bytes, {
      maxEntries: MAX_ZIP_ENTRIES,
      maxUncompressedBytes: IMPORT_MAX_UNCOMPRESSED_BYTES,
    });
    const names = new Set(entries.map((e) => e.name));
    if (!names.has('xl/workbook.xml') && !names.has('xl/workbook.bin')) {
      throw new ImportRejectedError('This zip archive is not an .xlsx workbook (it has no workbook part).');
    }
    if (names.has('xl/workbook.bin')) {
      throw new ImportRejectedError('This is a binary .xlsb workbook. Only .xlsx workbooks can be imported.');
    }
    verifyDeclaredSizes(bytes, entries);
  } catch (e) {
    if (e instanceof ZipRejectedError) throw new ImportRejectedError(e.message);
    throw e;
  }
}

type Cell = string | number | boolean | null;

/** A cell as text exactly as stored (numbers in their shortest form); empty for no value. */
function text(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

function intIn(v: Cell | undefined, max: number): number {
  const n = typeof v === 'number' ? v : Number(text(v).trim());
  return Number.isInteger(n) && n >= 0 && n <= max ? n : 0;
}

function percent(v: Cell | undefined, max: number): number {
  const n = typeof v === 'number' ? v : Number(text(v).trim());
  return Number.isFinite(n) && n >= 0 && n <= max ? n : 0;
}

const orNull = (s: string) => (s === '' ? null : s);
const HEX = { md5: /^[0-9a-f]{32}$/, sha1: /^[0-9a-f]{40}$/, sha256: /^[0-9a-f]{64}$/ };
const INTEGRITY_BY_LABEL = new Map<string, PackageIntegrity>(
  PACKAGE_INTEGRITIES.flatMap((k) => [
    [INTEGRITY_LABELS[k], k],
    [k, k],
  ]),
);
const EXE_STATUSES = new Set<string>(exeStatusSchema.options);

const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_SERIAL = 25_569;

/** A date cell written as UTC wall clock (the Run sheet's "Started (UTC)"), or null. */
function utcSerialToDate(v: Cell | undefined): Date | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const d = new Date(Math.round((v - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
  const year = d.getUTCFullYear();
  return year >= 1990 && year <= 2200 ? d : null;
}

function rowsOf(sheet: XLSX.WorkSheet): Cell[][] {
  return XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
}

/** Host facts and run facts from a ProcLens "Run" sheet (label in column A, value in B). */
function readRunSheet(rows: Cell[][]): { host: HostDescription | null; startedAt: Date | null; minMem: number } {
  const facts = new Map<string, Cell>();
  for (const r of rows.slice(0, 200)) facts.set(text(r[0]).trim().toLowerCase(), r[1] ?? null);
  const hostname = text(facts.get('hostname')).trim();
  const host: HostDescription | null = hostname
    ? {
        hostname: hostname.slice(0, 256),
        platform: text(facts.get('platform')).slice(0, 64),
        distro: text(facts.get('distro')).slice(0, 256),
        release: text(facts.get('release')).slice(0, 256),
        kernel: text(facts.get('kernel')).slice(0, 256),
        arch: text(facts.get('arch')).slice(0, 64),
        totalMemoryBytes: intIn(facts.get('total memory (bytes)'), Number.MAX_SAFE_INTEGER),
        cpuModel: text(facts.get('cpu model')).slice(0, 256),
        cpuCores: intIn(facts.get('cpu cores'), 1_000_000),
      }
    : null;
  return {
    host,
    startedAt: utcSerialToDate(facts.get('started (utc)') ?? null),
    minMem: percent(facts.get('minimum memory %'), 100),
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

function readProcesses(rows: Cell[][], header: HeaderMap, headerIndex: number): ImportedProcess[] {
  const out: ImportedProcess[] = [];
  const malformed: number[] = [];
  const at = (r: Cell[], col: number | undefined) => (col === undefined ? null : (r[col] ?? null));
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const r = rows[i] ?? [];
    if (r.every((c) => text(c).trim() === '')) continue;
    if (out.length + malformed.length >= IMPORT_MAX_ROWS) {
      throw new ImportRejectedError(
        `The sheet has more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} process rows; split it and import the parts.`,
      );
    }
    const rowNumber = i + 1;
    const md5 = text(at(r, header.md5)).trim().toLowerCase();
    const sha1 = text(at(r, header.sha1)).trim().toLowerCase();
    const sha256 = text(at(r, header.sha256)).trim().toLowerCase();
    let hashes: ImportedProcess['hashes'] = null;
    if (sha256 !== '' || sha1 !== '') {
      if (HEX.sha256.test(sha256) && HEX.sha1.test(sha1) && HEX.md5.test(md5)) hashes = { md5, sha1, sha256 };
      else {
        malformed.push(rowNumber);
        continue;
      }
    } else if (md5 !== '') {
      if (!HEX.md5.test(md5)) {
        malformed.push(rowNumber);
        continue;
      }
      hashes = { md5, sha1: null, sha256: null };
    }
    const exeStatus = text(at(r, header.exeStatus)).trim();
    const integrity = INTEGRITY_BY_LABEL.get(text(at(r, header.integrity)).trim().toLowerCase()) ?? null;
    out.push({
      row: rowNumber,
      name: text(at(r, header.name)),
      pid: intIn(at(r, header.pid), 2 ** 31 - 1),
      ppid: intIn(at(r, header.ppid), 2 ** 31 - 1),
      user: text(at(r, header.user)),
      memoryPercent: percent(at(r, header.memoryPercent), 100),
      cpuPercent: percent(at(r, header.cpuPercent), 1e6),
      exe: orNull(text(at(r, header.exe))),
      exeStatus: EXE_STATUSES.has(exeStatus) ? exeStatus : hashes ? 'ok' : 'unknown',
      exeError: orNull(text(at(r, header.exeError))),
      effectiveUser: orNull(text(at(r, header.effectiveUser))),
      package: orNull(text(at(r, header.package))),
      integrity,
      hashes,
    });
  }
  if (malformed.length > 0) throw new ImportRejectedError(malformedMessage(malformed));
  return out;
}

export function readImportWorkbook(bytes: Buffer): ImportedWorkbook {
  checkContainer(bytes);
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, {
      type: 'buffer',
      // Cached values only: no formula text, no HTML, no styles; bounded rows per sheet.
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      cellNF: false,
      cellDates: false,
      sheetRows: HEADER_SEARCH_ROWS + IMPORT_MAX_ROWS + 1,
      dense: true,
    });
  } catch {
    throw new ImportRejectedError('The workbook is damaged and cannot be read.');
  }
  if (wb.SheetNames.length === 0) throw new ImportRejectedError('The workbook has no sheets.');
  // The ProcLens "Processes" sheet first, then the others in workbook order.
  const order = [...wb.SheetNames].sort((a, b) => Number(b === 'Processes') - Number(a === 'Processes'));
  for (const name of order) {
    const sheet = wb.Sheets[name];
    if (!sheet) continue;
    const rows = rowsOf(sheet);
    const found = findHeader(rows.slice(0, HEADER_SEARCH_ROWS).map((r) => r.map(text)));
    if (!found) continue;
    const processes = readProcesses(rows, found.header, found.index);
    const runSheet = wb.Sheets['Run'];
    const run = runSheet && name !== 'Run' ? readRunSheet(rowsOf(runSheet)) : null;
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
