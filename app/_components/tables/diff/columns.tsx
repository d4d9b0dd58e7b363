import { createColumnHelper } from '@tanstack/react-table';
import { ArrowRight } from 'lucide-react';
import { DIFF_KIND_LABELS, type DiffKind } from '@/domain/run-diff';
import type { DiffRow } from '@/app/_trpc/types';
import { Badge, type BadgeTone } from '@/app/_components/ui/badge';
import { VerdictBadge } from '@/app/_components/verdict-badge';
import { verdictSortValue, vtScoreOf } from '@/app/_components/vt-format';
import { HashCell } from '../hash-cell';
import { HeuristicBadges, heuristicLabels, integrityColumn, packageColumn } from '../processes/analysis-cells';
import { createSearchFilterFn, type dataTableFeatures } from '../table-features';
import { Missing, PathList, PathText, UntrustedText } from '../untrusted-text';

const helper = createColumnHelper<typeof dataTableFeatures, DiffRow>();

const KIND_TONE: Record<DiffKind, BadgeTone> = { new: 'warn', changed: 'danger', gone: 'neutral' };
const KIND_RANK: Record<DiffKind, number> = { changed: 0, new: 1, gone: 2 };
const KIND_HINT: Record<DiffKind, string> = {
  new: 'This path is not in the other run.',
  gone: 'This path was in the other run and is not in this one.',
  changed: 'The same path has another SHA-256 than in the other run.',
};

export function DiffKindBadge({ kind }: { kind: DiffKind }) {
  return (
    <Badge tone={KIND_TONE[kind]} title={KIND_HINT[kind]} className="px-1 py-0 text-[11px]">
      {DIFF_KIND_LABELS[kind]}
    </Badge>
  );
}

/** The facts a heuristic badge names: the entry's first process and its path. */
function badgeFacts(r: DiffRow) {
  const p = r.processes[0];
  return {
    name: p?.name ?? '',
    exePath: r.path,
    user: p?.user ?? '',
    effectiveUser: p?.effectiveUser ?? null,
    heuristics: r.heuristics,
  };
}

function processesTitle(r: DiffRow): string {
  return r.processes
    .map(
      (p) =>
        `${p.name} (PID ${p.pid}, ${p.user}${p.effectiveUser && p.effectiveUser !== p.user ? ` as ${p.effectiveUser}` : ''})`,
    )
    .join('\n');
}

/** The hash this row is about: the new one, or the old one for a gone executable. */
const mainVt = (r: DiffRow) => (r.kind === 'gone' ? r.oldVt : r.newVt);

/** Column ids are part of the URL (`dsort=kind.asc`, `dcols=…`): keep them stable. */
export const diffColumns = helper.columns([
  helper.accessor((r) => KIND_RANK[r.kind], {
    id: 'kind',
    header: 'Change',
    sortFn: 'basic',
    meta: { label: 'Change', width: 112 },
    cell: (c) => <DiffKindBadge kind={c.row.original.kind} />,
  }),
  helper.accessor('path', {
    id: 'path',
    header: 'Executable',
    sortFn: 'text',
    meta: { label: 'Executable', width: 300 },
    cell: (c) => <PathText value={c.getValue()} />,
  }),
  helper.accessor((r) => r.processes.length, {
    id: 'processes',
    header: 'Processes',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'Processes (name, PID)', width: 210 },
    cell: (c) => {
      const r = c.row.original;
      const [first] = r.processes;
      if (!first) return <Missing />;
      return (
        <span className="flex min-w-0 items-center gap-1.5" title={processesTitle(r)}>
          <span className="min-w-0 truncate">
            <UntrustedText value={first.name} title={false} />{' '}
            <span className="text-muted tabular-nums">({first.pid})</span>
          </span>
          {r.processes.length > 1 && <span className="shrink-0 text-xs text-muted">+{r.processes.length - 1}</span>}
        </span>
      );
    },
  }),
  helper.accessor((r) => [...new Set(r.processes.map((p) => p.effectiveUser ?? p.user))].join(', '), {
    id: 'users',
    header: 'User',
    sortFn: 'text',
    meta: { label: 'User (effective)', width: 110 },
    cell: (c) => <UntrustedText value={c.getValue()} />,
  }),
  helper.accessor((r) => heuristicLabels(badgeFacts(r)).join(' ') || undefined, {
    id: 'heuristics',
    header: 'Heuristics',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Heuristics', width: 150 },
    cell: (c) => {
      const r = c.row.original;
      return (
        <span className="flex min-w-0 items-center gap-1">
          <HeuristicBadges row={badgeFacts(r)} />
          {r.deletedWhileRunning && !r.heuristics.includes('deleted') && (
            <Badge tone="danger" className="px-1 py-0 text-[11px]" title="Deleted or replaced while running">
              deleted
            </Badge>
          )}
        </span>
      );
    },
  }),
  integrityColumn(helper),
  helper.accessor((r) => vtScoreOf(mainVt(r)), {
    id: 'vtScore',
    header: 'VTScore',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    meta: { label: 'VTScore', width: 84, align: 'end' },
    cell: (c) => c.getValue() ?? <Missing />,
  }),
  helper.accessor((r) => verdictSortValue(mainVt(r)), {
    id: 'verdict',
    header: 'Verdict',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    meta: { label: 'Verdict', width: 140 },
    cell: (c) => <VerdictBadge vt={mainVt(c.row.original)} />,
  }),
  helper.accessor((r) => r.oldSha256 ?? undefined, {
    id: 'oldSha256',
    header: 'Previous SHA-256',
    sortFn: 'basic',
    sortUndefined: 'last',
    meta: { label: 'Previous SHA-256', width: 190 },
    cell: (c) => <HashCell value={c.getValue()} label="Previous SHA-256" />,
  }),
  helper.display({
    id: 'arrow',
    header: () => <span className="sr-only">to</span>,
    enableSorting: false,
    meta: { label: 'Arrow (old → new)', width: 28 },
    cell: (c) =>
      c.row.original.kind === 'changed' ? <ArrowRight className="size-3.5 text-muted" aria-label="changed to" /> : null,
  }),
  helper.accessor((r) => r.newSha256 ?? undefined, {
    id: 'newSha256',
    header: 'SHA-256',
    sortFn: 'basic',
    sortUndefined: 'last',
    meta: { label: 'SHA-256 (this run)', width: 190 },
    cell: (c) => <HashCell value={c.getValue()} label="SHA-256" />,
  }),
  helper.accessor((r) => verdictSortValue(r.kind === 'changed' ? r.oldVt : null), {
    id: 'oldVerdict',
    header: 'Previous verdict',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    meta: { label: 'Previous verdict', width: 140, hiddenByDefault: true },
    cell: (c) => (c.row.original.kind === 'changed' ? <VerdictBadge vt={c.row.original.oldVt} /> : <Missing />),
  }),
  packageColumn(helper, 120),
  helper.accessor((r) => r.sameContentAt[0] ?? undefined, {
    id: 'sameContentAt',
    header: 'Same content at',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Same content at (copy or move)', width: 220 },
    cell: (c) => <PathList paths={c.row.original.sameContentAt} />,
  }),
]);

export const diffDefaultSort = { id: 'kind', desc: false };

/** The filter box matches path, hashes, process names, PIDs, users, package and badges. */
export const diffFilterFn = createSearchFilterFn<DiffRow>((r) =>
  [
    DIFF_KIND_LABELS[r.kind],
    r.path,
    r.newSha256 ?? '',
    r.oldSha256 ?? '',
    r.package ?? '',
    ...r.sameContentAt,
    ...heuristicLabels(badgeFacts(r)),
    ...r.processes.flatMap((p) => [p.name, String(p.pid), p.user, p.effectiveUser ?? '']),
  ].join('\u0000'),
);

export const diffRowId = (r: DiffRow) => `${r.kind}:${r.path}:${r.newSha256 ?? ''}:${r.oldSha256 ?? ''}`;
