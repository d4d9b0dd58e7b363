import { z } from 'zod';
import { MAX_RUN_ID } from './run-id';

/**
 * Runs as every layer sees them: the statuses and sources a run can have, and what a run id is.
 * Layer-neutral: imports nothing of app/, server/ or db/.
 */
export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** 'import': a run read from an uploaded workbook (issue 12 item 1). */
export const RUN_SOURCES = ['dashboard', 'cli', 'agent', 'import'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export interface RunOptions {
  minMemoryPercent: number;
}

/** A run id as procedure input (a number, or a numeric string a form or URL sent). */
export const runIdSchema = z.coerce
  .number()
  .int('run id must be a whole number')
  .positive('run id must be a positive whole number')
  .max(MAX_RUN_ID, 'run id is too large');
