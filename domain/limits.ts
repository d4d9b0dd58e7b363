import { z } from 'zod';

/**
 * Budgets for untrusted input: one table, used by the agent snapshot, the workbook import, settings,
 * triage notes and host names alike, so a value accepted on one path is accepted on every other.
 * Checked while parsing, before anything is stored. PostgreSQL refuses a NUL in text and overflows
 * on huge numbers (a 500 there), so both are refused here with a sentence instead.
 */
export const TEXT_MAX = {
  /** A process name (Linux caps comm at 15 bytes; Windows image names and imported sheets run longer). */
  processName: 4096,
  user: 256,
  cmdline: 8192,
  path: 4096,
  error: 1024,
  hostKey: 256,
  hostname: 256,
  /** Platform, architecture. */
  shortFact: 64,
  /** Distro, release, kernel, CPU model, package name. */
  hostFact: 256,
  processState: 8,
  triageNote: 2000,
  tokenName: 64,
} as const;

/**
 * The largest workbook an import takes (`POST /api/imports`, `proclens check --workbook`), and
 * what the multipart framing around it may add. The server's proxy buffers request bodies up to
 * the two together (next.config.ts): beyond its default of 10 MB a larger upload arrived cut.
 */
export const IMPORT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
export const IMPORT_FORM_OVERHEAD_BYTES = 64 * 1024;

/** The largest whole number stored (PostgreSQL bigint holds more; JavaScript is exact up to here). */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const NUL_MESSAGE = 'must not contain a NUL character';

export function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

/** A string of at most `max` characters without NUL. */
export function boundedText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasNul(s), NUL_MESSAGE);
}

/** A whole number from 0 to MAX_SAFE (counts, sizes, PIDs). */
export const countNumber = z.number().int().min(0).max(MAX_SAFE);

/** A non-negative finite number no larger than MAX_SAFE (bytes, milliseconds, CPU %). */
export const amountNumber = z.number().min(0).max(MAX_SAFE);

/** A percentage from 0 to 100. */
export const percentNumber = z.number().min(0).max(100);

/** The sentence an import or a form shows for a text over budget. */
export function tooLongMessage(field: string, max: number): string {
  return `${field} is longer than ${max.toLocaleString('en-US')} characters`;
}
