import { hasNul, NUL_MESSAGE, tooLongMessage } from '@/domain/limits';
import { ImportRejectedError } from './import-error';
import { OVERSIZED_TEXT } from './xml-budget';

/**
 * One imported value, checked against the same budgets as an agent's snapshot (domain/limits)
 * while the sheet is read, so a refusal names the row and the field and nothing reaches the
 * database: text within its length and without NUL (PostgreSQL refuses NUL in text), numbers
 * finite and in range (a huge one overflows its column).
 */
export type Cell = string | number | boolean | null;

/** A cell as text exactly as stored (numbers in their shortest form); empty for no value. */
export function text(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/** "Row 7" or "The Run sheet": where a value was read, the start of every refusal. */
function refuse(where: string, what: string): never {
  throw new ImportRejectedError(`${where}: ${what}. Nothing was imported.`);
}

/** Text of at most `max` characters without NUL; `label` names the field in the refusal. */
export function boundedCellText(v: Cell | undefined, max: number, where: string, label: string): string {
  const s = text(v);
  // The marker stands for a cell whose text was too long to be read at all.
  if (s.length > max || s.includes(OVERSIZED_TEXT)) refuse(where, tooLongMessage(label, max));
  if (hasNul(s)) refuse(where, `${label} ${NUL_MESSAGE}`);
  return s;
}

function numberOf(v: Cell | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = text(v).trim();
  return s === '' ? null : Number(s);
}

/** A cell with nothing in it but spaces. */
export function isBlank(v: Cell | undefined): boolean {
  return text(v).trim() === '';
}

/** A whole number from `min` (0) to `max`; an empty cell is 0. */
export function wholeNumber(v: Cell | undefined, max: number, where: string, label: string, min = 0): number {
  const n = numberOf(v);
  if (n === null) return 0;
  if (!Number.isInteger(n) || n < min || n > max) {
    refuse(
      where,
      `${label} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`,
    );
  }
  return n;
}

/** A finite number from 0 to `max`; an empty cell is 0. */
export function boundedNumber(v: Cell | undefined, max: number, where: string, label: string): number {
  const n = numberOf(v);
  if (n === null) return 0;
  if (!Number.isFinite(n) || n < 0 || n > max) {
    refuse(where, `${label} must be a number from 0 to ${max.toLocaleString('en-US')}`);
  }
  return n;
}
