import type { ColumnHelper } from '@tanstack/react-table';
import { AlertTriangle } from 'lucide-react';
import { describeRowHeuristics, INTEGRITY_LABELS, type DescribedRow, type PackageIntegrity } from '@/domain/heuristics';
import { Badge, type BadgeTone } from '../../ui/badge';
import type { DataTableFeatures } from '../table-features';
import { Missing, UntrustedText } from '../untrusted-text';

const INTEGRITY_TONE: Record<PackageIntegrity, BadgeTone> = {
  matches: 'ok',
  modified: 'danger',
  'not-packaged': 'warn',
};
const INTEGRITY_HINT: Record<PackageIntegrity, string> = {
  matches: "The executable's MD5 is the one its package shipped.",
  modified: 'The executable differs from the file its package shipped: a distro binary has been changed.',
  'not-packaged': 'No installed package lists this executable.',
};

export function IntegrityBadge({ integrity }: { integrity: PackageIntegrity | null }) {
  if (!integrity) return <Missing />;
  return (
    <Badge tone={INTEGRITY_TONE[integrity]} title={INTEGRITY_HINT[integrity]} className="px-1 py-0 text-[11px]">
      {integrity === 'modified' && <AlertTriangle aria-hidden />}
      {INTEGRITY_LABELS[integrity]}
    </Badge>
  );
}

export type HeuristicRowFacts = DescribedRow;

export function heuristicLabels(r: HeuristicRowFacts): string[] {
  return describeRowHeuristics(r).map((t) => t.label);
}

/**
 * The first heuristic's badge, and "+N" for the others (rows are one fixed line tall); every
 * reason is in the tooltip and the accessible name.
 */
export function HeuristicBadges({ row }: { row: HeuristicRowFacts }) {
  if (row.heuristics.length === 0) return null;
  const texts = describeRowHeuristics(row);
  const [first, ...rest] = texts;
  if (!first) return null;
  const all = texts.map((t) => `${t.label}: ${t.reason}`).join('\n');
  return (
    <span className="flex min-w-0 flex-nowrap items-center gap-1 overflow-hidden" title={all}>
      <Badge tone="danger" aria-label={`${first.label}: ${first.reason}`} className="shrink-0 px-1 py-0 text-[11px]">
        {first.label}
      </Badge>
      {rest.length > 0 && (
        <Badge
          tone="danger"
          aria-label={rest.map((t) => `${t.label}: ${t.reason}`).join('; ')}
          className="shrink-0 px-1 py-0 text-[11px]"
        >
          +{rest.length}
        </Badge>
      )}
    </span>
  );
}

/** The Package column (id `package`, part of the URL), the same in the process and diff tables. */
export function packageColumn<T extends { package: string | null }>(
  helper: ColumnHelper<DataTableFeatures, T>,
  width: number,
) {
  return helper.accessor((r) => r.package ?? undefined, {
    id: 'package',
    header: 'Package',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Package', width },
    cell: (c) => {
      const v = c.getValue();
      return v ? <UntrustedText value={v} /> : <Missing />;
    },
  });
}

/** The Integrity column (id `integrity`), the same in the process and diff tables. */
export function integrityColumn<T extends { integrity: PackageIntegrity | null }>(
  helper: ColumnHelper<DataTableFeatures, T>,
) {
  return helper.accessor((r) => r.integrity ?? undefined, {
    id: 'integrity',
    header: 'Integrity',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Integrity', width: 110 },
    cell: (c) => <IntegrityBadge integrity={c.row.original.integrity} />,
  });
}
