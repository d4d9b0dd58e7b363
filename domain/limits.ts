import { z } from 'zod';
import { PERCENT_MAX } from './percent';
import { NEXT_PATH_MAX } from './safe-next';

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
  /** An IP address as text (IPv6 with a zone id fits). */
  address: 64,
  triageNote: 2000,
  tokenName: 64,
  /** An e-mail address (RFC 5321: 64 + @ + 255). */
  email: 320,
  /** Where sign-in returns to (`/sign-in?next=…`); see safe-next.ts. */
  nextPath: NEXT_PATH_MAX,
  /** A credential a client presents (cookie, bearer): the real ones are far shorter. */
  accessToken: 512,
} as const;

export { IMPORT_FORM_OVERHEAD_BYTES, IMPORT_UPLOAD_MAX_BYTES } from './import-limits';
export { isPercent, PERCENT_MAX } from './percent';

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

/** A percentage (domain/percent.ts), with zod's own sentences. */
export const percentNumber = z.number().min(0).max(PERCENT_MAX);

/** A percentage with an edge's own sentences: `range` out of bounds, `type` for what is no number. */
export function percentWithMessages(range: string, type: string) {
  return z.number({ error: type }).min(0, range).max(PERCENT_MAX, range);
}

/** A TCP/UDP port. */
export const portNumber = z.number().int().min(0).max(65_535);

/** The sentence an import or a form shows for a text over budget. */
export function tooLongMessage(field: string, max: number): string {
  return `${field} is longer than ${max.toLocaleString('en-US')} characters`;
}

/** The largest PostgreSQL `integer` (PIDs, per-run counts and durations are stored in that type). */
export const INT32_MAX = 2_147_483_647;

/** A whole number from 0 to INT32_MAX (a PID, a per-run count, milliseconds of one collection). */
export const int32Count = z.number().int().min(0).max(INT32_MAX);

/**
 * Dates accepted from untrusted input. JavaScript dates reach back 270,000 years, further than
 * PostgreSQL's timestamps (an overflow there is a 500); no process or run predates 1970.
 */
export const DATE_MIN = new Date('1970-01-01T00:00:00Z');
export const DATE_MAX = new Date('9999-12-31T23:59:59Z');

/** A date (or date text) from 1970 to 9999. */
export const boundedDate = z.coerce
  .date({ error: 'must be a date' })
  .min(DATE_MIN, 'must be a date from 1970 to 9999')
  .max(DATE_MAX, 'must be a date from 1970 to 9999');

/** The longest text any field takes: a ceiling for input whose fields have no schema of their own. */
export const TEXT_CEILING = Math.max(...Object.values(TEXT_MAX));

export const NUMBER_MESSAGE = `must be a finite number between -${MAX_SAFE} and ${MAX_SAFE}`;

interface Visit {
  v: unknown;
  key: string | number | null;
  parent: Visit | null;
}

function pathOf(node: Visit, root: string): string {
  const parts: string[] = [];
  for (let n: Visit | null = node; n && n.key !== null; n = n.parent) {
    parts.push(typeof n.key === 'number' ? `[${n.key}]` : `.${n.key}`);
  }
  return root + parts.reverse().join('');
}

/**
 * A value in a decoded JSON document (or tRPC input) that no field of ProcLens can hold:
 * a NUL in any text or key, a text longer than `maxText`, a number that is not finite or beyond
 * ±MAX_SAFE, an invalid date. Returns `<path> <problem>` (the path under `root`), or null.
 * Iterative with parent links, so neither a deeply nested document nor a long one costs more than
 * one visit per value. Per-field budgets stay in each schema; this is the floor every input gets,
 * checked before any schema or query sees it.
 */
export function jsonValueProblem(value: unknown, root = 'input', maxText = TEXT_CEILING): string | null {
  const top: Visit = { v: value, key: null, parent: null };
  const first = leafProblem(value, maxText);
  if (first) return `${root} ${first}`;
  const stack: Visit[] = [top];
  // Containers are stacked; leaves are checked as they are met (a Visit is made only to name one).
  const child = (parent: Visit, key: string | number, v: unknown): string | null => {
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      stack.push({ v, key, parent });
      return null;
    }
    const problem = leafProblem(v, maxText);
    return problem && `${pathOf({ v, key, parent }, root)} ${problem}`;
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.v;
    let problem: string | null = null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && !problem; i++) problem = child(node, i, v[i]);
    } else if (v instanceof Map || v instanceof Set) {
      let i = 0;
      for (const [k, c] of v instanceof Map ? v : [...v].entries()) {
        if (typeof k === 'string' && hasNul(k)) return `${pathOf(node, root)} has a key with a NUL character`;
        problem = child(node, typeof k === 'number' || typeof k === 'string' ? k : i, c);
        if (problem) break;
        i++;
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        if (hasNul(k)) return `${pathOf(node, root)} has a key with a NUL character`;
        problem = child(node, k, (v as Record<string, unknown>)[k]);
        if (problem) break;
      }
    }
    if (problem) return problem;
  }
  return null;
}

/** What is wrong with one value itself (not its children), or null. */
function leafProblem(v: unknown, maxText: number): string | null {
  switch (typeof v) {
    case 'string':
      if (hasNul(v)) return NUL_MESSAGE;
      return v.length > maxText ? `must be at most ${maxText} characters` : null;
    case 'number':
      return Number.isFinite(v) && Math.abs(v) <= MAX_SAFE ? null : NUMBER_MESSAGE;
    case 'bigint':
      return v <= BigInt(MAX_SAFE) && v >= -BigInt(MAX_SAFE) ? null : NUMBER_MESSAGE;
    default:
      return v instanceof Date && Number.isNaN(v.getTime()) ? 'must be a valid date' : null;
  }
}
