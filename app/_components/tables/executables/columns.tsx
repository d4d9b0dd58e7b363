import { createColumnHelper } from '@tanstack/react-table';
import { formatBytes } from '@/app/_components/format';
import { vtScoreOf } from '@/app/_components/vt-format';
import type { ExecutableRow } from '@/app/_trpc/types';
import { formatPercent } from '@/app/_components/format';
import { hashColumn } from '../hash-cell';
import { createSearchFilterFn, type dataTableFeatures } from '../table-features';
import { PathList, UntrustedText } from '../untrusted-text';
import { DetectionsCell, threatLabelOf, ThreatLabelCell, vtColumns, VtLinkCell } from '../vt-cells';
import { TriageCell } from '@/app/_components/triage/triage-cell';
import { EngineToggle } from './engine-details';

const helper = createColumnHelper<typeof dataTableFeatures, ExecutableRow>();

/** `array_agg` keeps the NULL path of processes without one; the UI shows real paths only. */
export function executablePaths(r: ExecutableRow): string[] {
  return (r.paths as ReadonlyArray<string | null>).filter((p): p is string => typeof p === 'string' && p !== '');
}

/** Detections sort by share of engines, so 7/72 ranks above 7/75. */
function detectionShare(r: ExecutableRow): number | undefined {
  const score = vtScoreOf(r.vt);
  if (score === undefined || r.vt?.state !== 'checked') return undefined;
  return r.vt.totalEngines ? score / r.vt.totalEngines : score;
}

/**
 * Column ids are part of the URL (`xsort=vtScore.desc`, `xcols=…`): keep them stable. The hash view
 * leads with what VirusTotal says; rows without a VTScore sort after every scored row, either way.
 */
export const executableColumns = helper.columns([
  helper.display({
    id: 'details',
    header: () => <span className="sr-only">Details</span>,
    enableSorting: false,
    enableHiding: false,
    meta: { label: 'Details', width: 44 },
    cell: (c) => <EngineToggle row={c.row.original} />,
  }),
  ...vtColumns(helper),
  helper.display({
    id: 'triage',
    header: 'Triage',
    enableSorting: false,
    meta: { label: 'Triage', width: 176 },
    cell: (c) => <TriageCell row={c.row.original} />,
  }),
  helper.accessor(detectionShare, {
    id: 'detections',
    header: 'Detections',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    meta: { label: 'Detections', width: 108, align: 'end' },
    cell: (c) => <DetectionsCell vt={c.row.original.vt} />,
  }),
  helper.accessor((r) => threatLabelOf(r.vt), {
    id: 'threatLabel',
    header: 'Threat label',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Threat label', width: 180 },
    cell: (c) => <ThreatLabelCell vt={c.row.original.vt} />,
  }),
  helper.accessor((r) => r.names.join(', '), {
    id: 'names',
    header: 'Names',
    sortFn: 'alphanumeric',
    meta: { label: 'Names', width: 220 },
    cell: (c) => <UntrustedText value={c.getValue()} />,
  }),
  hashColumn(helper, 'sha256', 220),
  helper.accessor('processCount', {
    id: 'processes',
    header: 'Processes',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'Processes', width: 108, align: 'end' },
  }),
  helper.display({
    id: 'vtLink',
    header: 'VT link',
    enableSorting: false,
    meta: { label: 'VT link', width: 104 },
    cell: (c) => <VtLinkCell vt={c.row.original.vt} href={c.row.original.vtLink} />,
  }),
  helper.accessor((r) => executablePaths(r)[0] ?? undefined, {
    id: 'paths',
    header: 'Paths',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Paths', width: 340 },
    cell: (c) => <PathList paths={executablePaths(c.row.original)} more=" more" />,
  }),
  hashColumn(helper, 'md5', 170),
  hashColumn(helper, 'sha1', 170),
  helper.accessor('size', {
    id: 'size',
    header: 'Size',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'Size', width: 96, align: 'end' },
    cell: (c) => <span title={`${c.getValue()} bytes`}>{formatBytes(c.getValue())}</span>,
  }),
  helper.accessor('memoryPercent', {
    id: 'memory',
    header: 'Memory %',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'Memory % (sum)', width: 108, align: 'end', hiddenByDefault: true },
    cell: (c) => formatPercent(c.getValue()),
  }),
]);

export const executablesDefaultSort = { id: 'vtScore', desc: true };

/** The filter box matches any hash, name, path or threat label. */
export const executablesFilterFn = createSearchFilterFn<ExecutableRow>((r) =>
  [r.sha256, r.md5, r.sha1, ...r.names, ...executablePaths(r), threatLabelOf(r.vt) ?? ''].join('\u0000'),
);

export const executableRowId = (r: ExecutableRow) => r.sha256;
