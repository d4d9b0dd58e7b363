import { hashGroups, type HashGroup } from './hash-groups';
import type { CellValue } from './neutralise';
import { finiteOrNull } from './process-columns';
import type { ExportProcess } from './types';
import { vtDetections, vtLabel, vtLinkOf, vtScoreOf, vtThreatLabelOf } from './vt-status';
import type { SheetColumn } from './xlsx-sheet';

export const HASHES_SHEET = 'Hashes';

interface HashColumn extends SheetColumn {
  readonly header: string;
  readonly value: (group: HashGroup) => CellValue;
}

/** Distinct process names of a hash, in run order (a renamed copy of a binary shows up here). */
function names(group: HashGroup): string {
  return [...new Set(group.processes.map((p) => p.name))].join(', ');
}

/** The "Hashes" sheet: one row per distinct executable, most detected first. */
export const HASH_COLUMNS: readonly HashColumn[] = [
  { header: 'SHA-256', width: 66, value: (g) => g.sha256 },
  { header: 'MD5', width: 34, value: (g) => g.md5 },
  { header: 'SHA-1', width: 42, value: (g) => g.sha1 },
  { header: 'VTScore', width: 9, numberFormat: '0', value: (g) => finiteOrNull(vtScoreOf(g.vt)) },
  { header: 'Verdict', width: 15, value: (g) => vtLabel(g.vt) },
  { header: 'Detections', width: 11, value: (g) => vtDetections(g.vt) },
  { header: 'Threat label', width: 30, value: (g) => vtThreatLabelOf(g.vt) },
  { header: 'Processes', width: 10, numberFormat: '0', value: (g) => g.processes.length },
  { header: 'Names', width: 40, value: names },
  { header: 'VT link', width: 50, hyperlink: true, value: (g) => vtLinkOf(g.sha256, g.vt) },
];

/** Header row and one row per distinct SHA-256. Values are not yet neutralised. */
export function hashesTable(processes: readonly ExportProcess[]): CellValue[][] {
  const header: CellValue[] = HASH_COLUMNS.map((c) => c.header);
  return [header, ...hashGroups(processes).map((g) => HASH_COLUMNS.map((c) => c.value(g)))];
}
