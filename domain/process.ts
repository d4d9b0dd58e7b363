import { z } from 'zod';
import { describeHeuristic, HEURISTIC_CODES, INTEGRITY_LABELS, PACKAGE_INTEGRITIES } from './heuristics';
import { amountNumber, boundedDate, boundedText, countNumber, int32Count, percentNumber, TEXT_MAX } from './limits';

/**
 * One collected process: the one definition the collector's record, the agent snapshot, the stored
 * row, the exports, the CLI's JSON and the workbook import derive from. Adding a field means an
 * entry in `processSchema`, a column of `run_processes` (migration), and an entry in the tables
 * below for each place that shows it (export column, JSON). Every field is untrusted text or
 * numbers from a host: bounded by domain/limits, so nothing reaches PostgreSQL that it refuses.
 */

/**
 * - `ok`: hashed from the real executable.
 * - `deleted`: the file was deleted or replaced while running; hashed through /proc/PID/exe.
 * - `memfd`: runs from an anonymous memory file; hashed through /proc/PID/exe.
 * - `kernel-thread`: no executable (listed, never hashed).
 * - `permission-denied`: the executable link could not be read by this user.
 * - `too-large`: bigger than HASH_MAX_FILE_MB; not hashed.
 * - `unreadable`: the link resolved but the file could not be read (error in `exeError`).
 * - `unknown`: the platform gives no trustworthy executable path (fallback collectors).
 */
export const exeStatusSchema = z.enum([
  'ok',
  'deleted',
  'memfd',
  'kernel-thread',
  'permission-denied',
  'too-large',
  'unreadable',
  'unknown',
]);
export type ExeStatus = z.infer<typeof exeStatusSchema>;

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `must be ${n} lowercase hex digits`);

export const fileHashesSchema = z.object({ md5: hex(32), sha1: hex(40), sha256: hex(64), size: countNumber });
export type FileHashes = z.infer<typeof fileHashesSchema>;

const text = boundedText;

export const processSchema = z.object({
  pid: int32Count,
  ppid: int32Count,
  /** Kernel's short name (comm), untrusted text. */
  name: text(TEXT_MAX.processName),
  /** Real user (who started it). */
  user: text(TEXT_MAX.user),
  /** One-letter kernel state (R, S, D, Z, T, I...), or '?' when unknown. */
  state: text(TEXT_MAX.processState),
  startedAt: boundedDate.nullable(),
  rssBytes: countNumber,
  /** RSS as a percentage of total RAM. */
  memoryPercent: percentNumber,
  /** Lifetime average CPU % (like ps): CPU time / time since start; summed over threads, so above 100 on several cores. */
  cpuPercent: amountNumber,
  cmdline: text(TEXT_MAX.cmdline),
  /** The true executable (readlink /proc/PID/exe), never argv; null when there is none or it is unknown. */
  exe: text(TEXT_MAX.path).nullable(),
  exeStatus: exeStatusSchema,
  exeError: text(TEXT_MAX.error).nullable(),
  hashes: fileHashesSchema.nullable(),
  // Added with package integrity and heuristics: older collectors omit them, read as "not recorded".
  /** Effective user (whose rights it has; what `ps` shows); null where the platform does not say. */
  effectiveUser: text(TEXT_MAX.user).nullable().default(null),
  /** Owning dpkg package, when one lists the executable. */
  package: text(TEXT_MAX.hostFact).nullable().default(null),
  /** The executable's MD5 against its package's; null when not checked (no dpkg database, not hashed). */
  integrity: z.enum(PACKAGE_INTEGRITIES).nullable().default(null),
  /** Suspicious-executable heuristics that fired (see domain/heuristics). */
  heuristics: z
    .array(z.enum(HEURISTIC_CODES))
    .max(HEURISTIC_CODES.length)
    .default(() => []),
});

/** What a collection produces for one process (the collectors' record; the CLI's JSON names its fields). */
export type ProcessRecord = z.output<typeof processSchema>;
export type ProcessField = keyof ProcessRecord;

/**
 * A process with its hashes side by side, as it is stored and exported: a row imported from the
 * older script's sheet carries an MD5 alone, and the store keeps the hashes per executable.
 */
export type ProcessView = Omit<ProcessRecord, 'hashes'> & {
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
};

/** Every field of a process but its hashes, in the schema's order (what a stored row keeps per process). */
export const PROCESS_FACTS = Object.keys(processSchema.shape).filter((k) => k !== 'hashes') as Array<
  Exclude<ProcessField, 'hashes'>
>;

/**
 * The value a field holds when nothing says otherwise: its default, else null, '' or 0, whichever
 * its schema takes first. `exeStatus` has none: the caller says why the executable is unknown.
 */
function blankOf(schema: z.ZodType): unknown {
  for (const candidate of [undefined, null, '', 0]) {
    const r = schema.safeParse(candidate);
    if (r.success) return r.data;
  }
  return undefined;
}

/**
 * A process nothing is known about yet, but its exe status: what a collector or the import starts
 * from before setting what it reads, so a field a source cannot see is stored as "not recorded".
 */
export function blankProcess(exeStatus: ExeStatus): ProcessRecord {
  blank ??= Object.fromEntries(Object.entries(processSchema.shape).map(([key, schema]) => [key, blankOf(schema)]));
  const out: Record<string, unknown> = { exeStatus };
  // A fresh array per process: a caller may push to it.
  for (const [key, v] of Object.entries(blank)) if (key !== 'exeStatus') out[key] = Array.isArray(v) ? [] : v;
  return out as ProcessRecord;
}
let blank: Record<string, unknown> | undefined;

/** The record's hashes side by side (`ProcessView`'s md5/sha1/sha256). */
export function toProcessView(p: ProcessRecord): ProcessView {
  const { hashes, ...facts } = p;
  return { ...facts, md5: hashes?.md5 ?? null, sha1: hashes?.sha1 ?? null, sha256: hashes?.sha256 ?? null };
}

function innerSchema(field: ProcessField): z.ZodType {
  let schema: z.ZodType = processSchema.shape[field];
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) schema = schema.unwrap() as z.ZodType;
  return schema;
}

/** The longest text a text field takes, or the largest number a numeric field takes (from its schema). */
export function budgetOf(field: ProcessField): number {
  const schema = innerSchema(field);
  const max = schema instanceof z.ZodString ? schema.maxLength : schema instanceof z.ZodNumber ? schema.maxValue : null;
  if (max === null) throw new Error(`${field} has no budget`);
  return max;
}

/** The smallest number a numeric field takes (from its schema). */
export function minimumOf(field: ProcessField): number {
  const schema = innerSchema(field);
  const min = schema instanceof z.ZodNumber ? schema.minValue : null;
  if (min === null) throw new Error(`${field} has no minimum`);
  return min;
}

/**
 * The fields of a process in the CLI's JSON (`proclens … --json`), in order. Public contract:
 * fields may be added, never renamed, removed or retyped; every one is always present ("unknown"
 * is null). Not in it: state, start time, RSS, CPU %, command line, exe error.
 */
export const JSON_PROCESS_FIELDS = [
  'pid',
  'ppid',
  'name',
  'user',
  'memoryPercent',
  'exe',
  'exeStatus',
  'md5',
  'sha1',
  'sha256',
  'effectiveUser',
  'package',
  'integrity',
  'heuristics',
] as const satisfies ReadonlyArray<keyof ProcessView>;

export type RunJsonProcess = Pick<ProcessView, (typeof JSON_PROCESS_FIELDS)[number]>;

// ---- The per-process table of the exports (workbook "Processes" sheet, CSV) and the import ----

/** A value as it goes into one cell: text, a number, or nothing (empty cell). */
export type CellValue = string | number | null;

/**
 * How the workbook import reads a column back into its field, within the field's schema: `text`,
 * `whole` and `number` (`max` overrides the schema's largest), `label` (a label or a code, else
 * null), `hash` and `status` (the reader's own rules: hashes come as a set, a status follows from
 * them). An empty cell is the field's blank (see blankProcess): '', 0 or null (not recorded).
 */
export type ColumnRead =
  | { readonly kind: 'text' | 'whole' | 'hash' | 'status' }
  | { readonly kind: 'number'; readonly max?: number }
  | { readonly kind: 'label'; readonly labels: Readonly<Record<string, string>> };

export interface ProcessColumn {
  readonly header: string;
  /** Workbook column width, in characters. */
  readonly width: number;
  /** Excel number format for numeric cells (ignored by the CSV). */
  readonly numberFormat?: string;
  /** The field the column shows (and the import reads back), if it is one field. */
  readonly field?: keyof ProcessView;
  readonly value: (p: ProcessView) => CellValue;
  readonly read?: ColumnRead;
  /** Other header texts the import takes for this column (the older script's sheet, hand-made ones). */
  readonly aliases?: readonly string[];
}

/** NaN/Infinity have no honest cell form ("NaN" in CSV, an error cell in xlsx): leave it empty. */
export function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** Percentages are shown to two decimals; the JSON keeps full precision. */
export function roundPercent(value: number): number | null {
  const n = finiteOrNull(value);
  return n === null ? null : Math.round(n * 100) / 100;
}

/** Badges as one cell: `runs from /tmp; setuid` (empty when none fired). */
function heuristicsText(p: ProcessView): string | null {
  if (p.heuristics.length === 0) return null;
  return p.heuristics.map((c) => describeHeuristic(c, p).label).join('; ');
}

type Key = keyof ProcessView;
const plain = (header: string, width: number, field: Key, more: Partial<ProcessColumn> = {}): ProcessColumn => ({
  header,
  width,
  field,
  value: (p) => p[field] as CellValue,
  ...more,
});
const whole = (header: string, field: 'pid' | 'ppid', aliases?: string[]): ProcessColumn =>
  plain(header, 9, field, {
    numberFormat: '0',
    value: (p) => finiteOrNull(p[field]),
    read: { kind: 'whole' },
    aliases,
  });
const percent = (header: string, width: number, field: 'memoryPercent' | 'cpuPercent', max?: number) =>
  plain(header, width, field, {
    numberFormat: '0.00',
    value: (p) => roundPercent(p[field]),
    read: { kind: 'number', max },
  });
const hash = (header: string, width: number, field: 'md5' | 'sha1' | 'sha256', aliases?: string[]) =>
  plain(header, width, field, { read: { kind: 'hash' }, aliases });
const textRead: ColumnRead = { kind: 'text' };

/** Where the VirusTotal columns go: they come from the run's lookups, not the process (see artifacts). */
export const VT_COLUMNS_SLOT = 'virustotal';

/**
 * The process table's columns, in order. The first eight (through SHA-256) and the ninth are a
 * public layout users rely on; new columns are appended and show up in the workbook and the CSV.
 * Percentages are rounded to two decimals (the JSON keeps full precision).
 */
export const PROCESS_COLUMN_LAYOUT: ReadonlyArray<ProcessColumn | typeof VT_COLUMNS_SLOT> = [
  plain('Process', 24, 'name', { read: textRead, aliases: ['Process Name', 'Name', 'Image Name'] }),
  whole('PID', 'pid', ['Process ID']),
  plain('User', 14, 'user', { read: textRead, aliases: ['User Name'] }),
  percent('Memory %', 11, 'memoryPercent'),
  plain('Executable', 48, 'exe', { read: textRead, aliases: ['Executable Path', 'Exe Path', 'Path'] }),
  hash('MD5', 34, 'md5', ['MD5 Hash']),
  hash('SHA-1', 42, 'sha1'),
  hash('SHA-256', 66, 'sha256'),
  plain('Exe status', 18, 'exeStatus', { read: { kind: 'status' } }),
  whole('PPID', 'ppid'),
  // Summed over threads; a sheet's value is taken up to 10,000 cores' worth.
  percent('CPU %', 9, 'cpuPercent', 1e6),
  plain('Exe error', 40, 'exeError', { read: textRead }),
  VT_COLUMNS_SLOT,
  plain('Effective user', 14, 'effectiveUser', { read: textRead }),
  plain('Package', 22, 'package', { read: textRead }),
  plain('Integrity', 13, 'integrity', {
    value: (p) => (p.integrity ? INTEGRITY_LABELS[p.integrity] : null),
    read: { kind: 'label', labels: INTEGRITY_LABELS },
  }),
  { header: 'Heuristics', width: 40, field: 'heuristics', value: heuristicsText },
];
