import type { ColumnHelper } from '@tanstack/react-table';
import { ExternalLink } from 'lucide-react';
import { VerdictBadge } from '../verdict-badge';
import type { RowVt } from '@/app/_trpc/types';
import { detectionsText, verdictSortValue, vtScoreOf } from '../vt-format';
import type { DataTableFeatures } from './table-features';
import { Missing, UntrustedText } from './untrusted-text';

/** VirusTotal cells shared by the process and executable tables. */

export function VtScoreCell({ vt }: { vt: RowVt }) {
  const score = vtScoreOf(vt);
  if (score === undefined) return <Missing />;
  return <span className={score > 0 ? 'font-semibold' : undefined}>{score}</span>;
}

export function DetectionsCell({ vt }: { vt: RowVt }) {
  const text = detectionsText(vt);
  if (text === null) return <Missing />;
  return <span title="Engines that call the file malicious / engines that analysed it">{text}</span>;
}

export function threatLabelOf(vt: RowVt): string | undefined {
  return vt?.state === 'checked' && vt.threatLabel ? vt.threatLabel : undefined;
}

export function ThreatLabelCell({ vt }: { vt: RowVt }) {
  const label = threatLabelOf(vt);
  return label ? <UntrustedText value={label} /> : <Missing />;
}

/** Only a hash VirusTotal knows has a page worth opening. */
export function VtLinkCell({ vt, href }: { vt: RowVt; href: string }) {
  if (vt?.state !== 'checked' || vt.vtScore === null || !href.startsWith('https://')) return <Missing />;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      className="inline-flex items-center gap-1 text-accent hover:underline"
      onClick={(e) => e.stopPropagation()}
    >
      VirusTotal
      <ExternalLink className="size-3" aria-hidden />
    </a>
  );
}

/** The VTScore and Verdict columns, the same in the process and the executable tables. */
export function vtColumns<T extends { vt: RowVt }>(helper: ColumnHelper<DataTableFeatures, T>) {
  return [
    helper.accessor((r) => vtScoreOf(r.vt), {
      id: 'vtScore',
      header: 'VTScore',
      sortFn: 'basic',
      sortDescFirst: true,
      sortUndefined: 'last',
      meta: { label: 'VTScore', width: 88, align: 'end' },
      cell: (c) => <VtScoreCell vt={c.row.original.vt} />,
    }),
    helper.accessor((r) => verdictSortValue(r.vt), {
      id: 'verdict',
      header: 'Verdict',
      sortFn: 'basic',
      sortDescFirst: true,
      sortUndefined: 'last',
      meta: { label: 'Verdict', width: 148 },
      cell: (c) => <VerdictBadge vt={c.row.original.vt} />,
    }),
  ];
}
