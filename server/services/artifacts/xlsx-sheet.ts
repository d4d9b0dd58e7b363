import * as XLSX from 'xlsx';
import { replaceInvalidXmlChars, type CellValue } from './neutralise';

/** Excel refuses longer cell text (and SheetJS throws while writing it). */
export const MAX_XLSX_CELL_TEXT = 32_767;
export const TRUNCATION_MARK = '…[truncated]';

/**
 * OOXML readers decode `_xHHHH_` in cell text, so a name like `_x003D_HYPERLINK(…)` would come back as
 * `=HYPERLINK(…)` after passing the formula check. Escaping the underscore (`_x005F_`) keeps it literal.
 */
const OOXML_ESCAPE_LIKE = /_(?=[xX][0-9A-Fa-f]{4}_)/g;

function escapeOoxmlLiterals(text: string): string {
  return text.replace(OOXML_ESCAPE_LIKE, '_x005F_');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cell text as SheetJS must receive it: OOXML-escaped and clipped to Excel's limit. */
export function toXlsxText(text: string): string {
  const escaped = escapeOoxmlLiterals(text);
  if (escaped.length <= MAX_XLSX_CELL_TEXT) return escaped;
  // Escaping lengthens the text, so shrink the kept prefix until the escaped result fits.
  let keep = MAX_XLSX_CELL_TEXT - TRUNCATION_MARK.length;
  for (;;) {
    const cut = isHighSurrogate(text.charCodeAt(keep - 1)) ? keep - 1 : keep;
    const clipped = escapeOoxmlLiterals(text.slice(0, cut)) + TRUNCATION_MARK;
    if (clipped.length <= MAX_XLSX_CELL_TEXT) return clipped;
    keep -= clipped.length - MAX_XLSX_CELL_TEXT;
  }
}

export interface SheetColumn {
  /** Width in characters. */
  readonly width: number;
  readonly numberFormat?: string;
  /** Text that is an https URL becomes a clickable hyperlink showing the same text. */
  readonly hyperlink?: boolean;
}

/** A date-time cell, shown as the wall-clock time of `at` in UTC or in this process's time zone. */
export interface XlsxDate {
  readonly kind: 'date';
  readonly at: Date;
  readonly zone: 'utc' | 'local';
}

/** What a workbook cell can hold: the CSV's values, plus real date cells. */
export type XlsxValue = CellValue | XlsxDate;

export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

const MS_PER_DAY = 86_400_000;
/** Days from Excel's 1900 epoch (with its phantom 29 Feb 1900) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;

/** The spreadsheet serial number of `d` as a wall clock in UTC or local time (no zone in a cell). */
export function excelSerial(d: XlsxDate): number {
  const offsetMs = d.zone === 'local' ? -d.at.getTimezoneOffset() * 60_000 : 0;
  return (d.at.getTime() + offsetMs) / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

const isHttpsUrl = (text: string) => /^https:\/\/[^\s"<>]+$/.test(text);

/**
 * A worksheet from rows of plain values. Text cells are always typed strings, which a spreadsheet
 * never evaluates, so they keep the exact text (a process called `=1+1` reads `=1+1`, with no
 * apostrophe added); they only lose XML-illegal characters. No cell is ever a formula. Numbers stay
 * numbers, dates become date cells, null leaves the cell empty. (The CSV, where a leading `=` would
 * be evaluated, still neutralises: see csv.ts.)
 */
export function sheetFromRows(
  rows: readonly (readonly XlsxValue[])[],
  columns: readonly SheetColumn[],
): XLSX.WorkSheet {
  const sheet: XLSX.WorkSheet = {};
  let lastCol = Math.max(columns.length - 1, 0);
  rows.forEach((row, r) => {
    row.forEach((value, c) => {
      // NaN/Infinity would be written as #NUM!/#DIV/0! error cells; empty is more honest.
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return;
      const ref = XLSX.utils.encode_cell({ r, c });
      if (typeof value === 'number') {
        const format = columns[c]?.numberFormat;
        sheet[ref] = format ? { t: 'n', v: value, z: format } : { t: 'n', v: value };
      } else if (typeof value === 'object') {
        if (Number.isNaN(value.at.getTime())) return;
        sheet[ref] = { t: 'n', v: excelSerial(value), z: DATE_TIME_FORMAT };
      } else {
        const text = toXlsxText(replaceInvalidXmlChars(value));
        const cell: XLSX.CellObject = { t: 's', v: text };
        // Only the header row is exempt: its text is the column's name, not a link.
        if (r > 0 && columns[c]?.hyperlink && isHttpsUrl(text))
          cell.l = { Target: text, Tooltip: 'Open on VirusTotal' };
        sheet[ref] = cell;
      }
      lastCol = Math.max(lastCol, c);
    });
  });
  const lastRow = Math.max(rows.length - 1, 0);
  sheet['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: lastRow, c: lastCol } });
  sheet['!cols'] = columns.map((c) => ({ wch: c.width }));
  return sheet;
}

/** The part of SheetJS's bundled zip library (typed `any` upstream) that freezing needs. */
interface ZipEntry {
  content: Uint8Array;
  size: number;
}
interface ZipApi {
  read(data: Buffer, options: { type: 'buffer' }): unknown;
  find(zip: unknown, path: string): ZipEntry | null;
  write(zip: unknown, options: { fileType: 'zip'; type: 'buffer'; compression: boolean }): Buffer;
}
const zipApi = XLSX.CFB as ZipApi;

const PLAIN_SHEET_VIEW = '<sheetView workbookViewId="0"/>';
const FROZEN_TOP_ROW_VIEW =
  '<sheetView workbookViewId="0">' +
  '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
  '</sheetView>';

/**
 * Freezes row 1 of each sheet at `sheetIndexes` (0-based). SheetJS Community Edition cannot write
 * panes, so the sheet XML is patched inside the finished zip. Throws if SheetJS's output ever changes
 * shape, rather than silently shipping an unfrozen sheet.
 */
export function freezeTopRow(xlsx: Buffer, sheetIndexes: readonly number[]): Buffer {
  const zip = zipApi.read(xlsx, { type: 'buffer' });
  for (const sheetIndex of sheetIndexes) {
    const path = `/xl/worksheets/sheet${sheetIndex + 1}.xml`;
    const entry = zipApi.find(zip, path);
    if (!entry) throw new Error(`freezeTopRow: ${path} not found in workbook`);
    const xml = Buffer.from(entry.content).toString('utf8');
    const at = xml.indexOf(PLAIN_SHEET_VIEW);
    if (at === -1 || xml.indexOf(PLAIN_SHEET_VIEW, at + 1) !== -1) {
      throw new Error(`freezeTopRow: unexpected sheetView markup in ${path}`);
    }
    const patched = Buffer.from(xml.replace(PLAIN_SHEET_VIEW, FROZEN_TOP_ROW_VIEW), 'utf8');
    entry.content = patched;
    entry.size = patched.length;
  }
  return zipApi.write(zip, { fileType: 'zip', type: 'buffer', compression: true });
}

/** A header-row autofilter over a table of `rowCount` rows and `columnCount` columns. */
export function autofilter(rowCount: number, columnCount: number): { ref: string } {
  return {
    ref: XLSX.utils.encode_range({
      s: { r: 0, c: 0 },
      e: { r: Math.max(rowCount - 1, 0), c: Math.max(columnCount - 1, 0) },
    }),
  };
}
