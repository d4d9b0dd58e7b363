import { describeHeuristic, INTEGRITY_LABELS } from '@/domain/heuristics';
import type { CellValue } from './neutralise';
import type { ExportProcess } from './types';
import { vtLabel, vtLinkOf, vtScoreOf } from './vt-status';

/** One column of the per-process table, shared by the "Processes" sheet and the CSV. */
export interface ProcessColumn {
  readonly header: string;
  /** Workbook column width, in characters. */
  readonly width: number;
  /** Excel number format for numeric cells (ignored by the CSV). */
  readonly numberFormat?: string;
  /** Workbook only: an https URL in this column is a clickable link (the CSV keeps the text). */
  readonly hyperlink?: boolean;
  readonly value: (process: ExportProcess) => CellValue;
}

/** NaN/Infinity have no honest cell form ("NaN" in CSV, an error cell in xlsx): leave it empty. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function finiteOrNull(value: number | null): number | null {
  return value === null ? null : finite(value);
}

/** Percentages are shown to two decimals; the JSON keeps full precision. */
export function roundPercent(value: number): number | null {
  const n = finite(value);
  return n === null ? null : Math.round(n * 100) / 100;
}

/**
 * The process table's columns, in order. The first eight (through SHA-256) and the ninth are a
 * public layout users rely on; new columns are appended here and show up in both the workbook and
 * the CSV. The VirusTotal columns are empty for a process without `vt`; a hash VirusTotal has not
 * seen has an empty VTScore and the Verdict "Not found". The link is a hyperlink cell in the
 * workbook (text in the CSV), never a formula.
 */
export const PROCESS_COLUMNS: readonly ProcessColumn[] = [
  { header: 'Process', width: 24, value: (p) => p.name },
  { header: 'PID', width: 9, numberFormat: '0', value: (p) => finite(p.pid) },
  { header: 'User', width: 14, value: (p) => p.user },
  {
    header: 'Memory %',
    width: 11,
    numberFormat: '0.00',
    value: (p) => roundPercent(p.memoryPercent),
  },
  { header: 'Executable', width: 48, value: (p) => p.exe },
  { header: 'MD5', width: 34, value: (p) => p.md5 },
  { header: 'SHA-1', width: 42, value: (p) => p.sha1 },
  { header: 'SHA-256', width: 66, value: (p) => p.sha256 },
  { header: 'Exe status', width: 18, value: (p) => p.exeStatus },
  { header: 'PPID', width: 9, numberFormat: '0', value: (p) => finite(p.ppid) },
  { header: 'CPU %', width: 9, numberFormat: '0.00', value: (p) => roundPercent(p.cpuPercent) },
  { header: 'Exe error', width: 40, value: (p) => p.exeError },
  { header: 'VTScore', width: 9, numberFormat: '0', value: (p) => finiteOrNull(vtScoreOf(p.vt)) },
  { header: 'Verdict', width: 15, value: (p) => (p.vt ? vtLabel(p.vt) : null) },
  { header: 'VT link', width: 50, hyperlink: true, value: (p) => vtLinkOf(p.sha256, p.vt) },
  { header: 'Effective user', width: 14, value: (p) => p.effectiveUser ?? null },
  { header: 'Package', width: 22, value: (p) => p.package ?? null },
  { header: 'Integrity', width: 13, value: (p) => (p.integrity ? INTEGRITY_LABELS[p.integrity] : null) },
  { header: 'Heuristics', width: 40, value: heuristicsText },
];

/** Badges as one cell: `runs from /tmp; setuid` (empty when none fired). */
function heuristicsText(p: ExportProcess): string | null {
  const codes = p.heuristics ?? [];
  if (codes.length === 0) return null;
  const subject = { name: p.name, exe: p.exe, user: p.user, effectiveUser: p.effectiveUser ?? null };
  return codes.map((c) => describeHeuristic(c, subject).label).join('; ');
}

/** Header row followed by one row per process, in the given order. Values are not yet neutralised. */
export function processTable(processes: readonly ExportProcess[]): CellValue[][] {
  const header: CellValue[] = PROCESS_COLUMNS.map((c) => c.header);
  return [header, ...processes.map((p) => PROCESS_COLUMNS.map((c) => c.value(p)))];
}
