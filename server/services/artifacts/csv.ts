import { neutraliseCell, type CellValue } from './neutralise';
import { processTable } from './process-columns';
import type { RunExport } from './types';

const CRLF = '\r\n';

/**
 * RFC 4180 requires quoting for `"`, `,`, CR and LF. `;` and TAB are quoted too: spreadsheet apps in
 * many locales split on them, and an unquoted `a;=cmd()` would become a second, formula cell.
 */
const NEEDS_QUOTES = /[",\r\n;\t]/;

export function csvField(raw: CellValue): string {
  const value = neutraliseCell(raw);
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The "Processes" table as CSV (RFC 4180, CRLF line endings, every record CRLF-terminated, UTF-8
 * without BOM). Same columns and cell values as the workbook.
 */
export function buildRunCsv(data: RunExport): string {
  return processTable(data.processes)
    .map((row) => row.map(csvField).join(',') + CRLF)
    .join('');
}
