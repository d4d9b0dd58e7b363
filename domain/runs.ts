import { z } from 'zod';

/**
 * Runs as every layer sees them: the statuses and sources a run can have, and what a run id is.
 * Layer-neutral: imports nothing of app/, server/ or db/.
 */
export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_SOURCES = ['dashboard', 'cli', 'agent'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export interface RunOptions {
  minMemoryPercent: number;
}

/** Run ids are PostgreSQL `serial`s: positive and within a 32-bit integer. */
export const MAX_RUN_ID = 2_147_483_647;

/** A run id as procedure input (a number, or a numeric string a form or URL sent). */
export const runIdSchema = z.coerce
  .number()
  .int('run id must be a whole number')
  .positive('run id must be a positive whole number')
  .max(MAX_RUN_ID, 'run id is too large');

/**
 * A run id written as text (a URL segment, a CLI flag): plain digits only — no sign, exponent,
 * spaces or leading zero — within the database's integer; null otherwise.
 */
export function parseRunId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_RUN_ID ? n : null;
}
