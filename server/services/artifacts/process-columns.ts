import {
  finiteOrNull,
  PROCESS_COLUMN_LAYOUT,
  VT_COLUMNS_SLOT,
  type ProcessColumn as ProcessFieldColumn,
} from '@/domain/process';
import type { CellValue } from './neutralise';
import type { ExportProcess } from './types';
import { vtLabel, vtLinkOf, vtScoreOf } from './vt-status';

export { finiteOrNull, roundPercent } from '@/domain/process';

/** One column of the per-process table, shared by the "Processes" sheet and the CSV. */
export interface ProcessColumn extends Omit<ProcessFieldColumn, 'value'> {
  /** Workbook only: an https URL in this column is a clickable link (the CSV keeps the text). */
  readonly hyperlink?: boolean;
  readonly value: (process: ExportProcess) => CellValue;
}

/**
 * The VirusTotal columns: empty for a process without `vt`; a hash VirusTotal has not seen has an
 * empty VTScore and the Verdict "Not found". The link is a hyperlink cell in the workbook (text in
 * the CSV), never a formula.
 */
const VT_COLUMNS: readonly ProcessColumn[] = [
  { header: 'VTScore', width: 9, numberFormat: '0', value: (p) => finiteOrNull(vtScoreOf(p.vt)) },
  { header: 'Verdict', width: 15, value: (p) => (p.vt ? vtLabel(p.vt) : null) },
  { header: 'VT link', width: 50, hyperlink: true, value: (p) => vtLinkOf(p.sha256, p.vt) },
];

/** The process table's columns, in order (domain/process.ts lays them out; see there). */
export const PROCESS_COLUMNS: readonly ProcessColumn[] = PROCESS_COLUMN_LAYOUT.flatMap((c) =>
  c === VT_COLUMNS_SLOT ? VT_COLUMNS : [c],
);

/** Header row followed by one row per process, in the given order. Values are not yet neutralised. */
export function processTable(processes: readonly ExportProcess[]): CellValue[][] {
  const header: CellValue[] = PROCESS_COLUMNS.map((c) => c.header);
  return [header, ...processes.map((p) => PROCESS_COLUMNS.map((c) => c.value(p)))];
}
