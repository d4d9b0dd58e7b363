/**
 * Defences applied to every untrusted string before it lands in a spreadsheet cell (xlsx or csv).
 * Process names, users, paths and errors come from the host (or a remote agent) and are hostile input.
 */

import type { CellValue } from '@/domain/process';

export type { CellValue } from '@/domain/process';

/**
 * OWASP CSV-injection rule: a cell whose first character is one of these is read as a formula by
 * Excel/LibreOffice. The full-width forms are included because some IMEs and importers fold them to
 * their ASCII counterparts.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Pattern source reused by other escapers (the txt export); build a new RegExp from `.source`. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Not allowed anywhere in an XML 1.0 document (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF, lone
 * surrogates). One such character would make the whole .xlsx unreadable.
 */
const INVALID_XML_CHAR = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|${LONE_SURROGATE.source}`,
  'g',
);

export const REPLACEMENT_CHAR = '\uFFFD';

/** Lone UTF-16 surrogates cannot be encoded as UTF-8 (and make `encodeURIComponent` throw). */
export function replaceLoneSurrogates(value: string): string {
  return value.replace(LONE_SURROGATE, REPLACEMENT_CHAR);
}

/** Replaces every character that is illegal in XML 1.0 with U+FFFD. */
export function replaceInvalidXmlChars(value: string): string {
  return value.replace(INVALID_XML_CHAR, REPLACEMENT_CHAR);
}

/**
 * Makes a cell value safe for a spreadsheet: strings lose XML-illegal characters and, when they would
 * start a formula, gain a leading apostrophe so the cell stays text. Numbers and null pass unchanged.
 */
export function neutraliseCell(value: string): string;
export function neutraliseCell(value: number): number;
export function neutraliseCell(value: null): null;
export function neutraliseCell(value: CellValue): CellValue;
export function neutraliseCell(value: CellValue): CellValue {
  if (typeof value !== 'string') return value;
  const clean = replaceInvalidXmlChars(value);
  return FORMULA_TRIGGER.test(clean) ? `'${clean}` : clean;
}
