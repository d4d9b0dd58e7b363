import { AlertTriangle } from 'lucide-react';
import { describeHeuristic, INTEGRITY_LABELS, type PackageIntegrity } from '@/domain/heuristics';
import { Badge, type BadgeTone } from '../../ui/badge';
import { Missing } from '../untrusted-text';

const INTEGRITY_TONE: Record<PackageIntegrity, BadgeTone> = { matches: 'ok', modified: 'danger', 'not-packaged': 'warn' };
const INTEGRITY_HINT: Record<PackageIntegrity, string> = {
  matches: "The executable's MD5 is the one its package shipped.",
  modified: "The executable differs from the file its package shipped: a distro binary has been changed.",
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

export interface HeuristicRowFacts {
  name: string;
  exePath: string | null;
  user: string;
  effectiveUser: string | null;
  heuristics: readonly string[];
}

export function heuristicLabels(r: HeuristicRowFacts): string[] {
  const subject = { name: r.name, exe: r.exePath, user: r.user, effectiveUser: r.effectiveUser };
  return r.heuristics.map((c) => describeHeuristic(c, subject).label);
}

/** One badge per heuristic that fired; the reason is the tooltip and the accessible description. */
export function HeuristicBadges({ row }: { row: HeuristicRowFacts }) {
  if (row.heuristics.length === 0) return null;
  const subject = { name: row.name, exe: row.exePath, user: row.user, effectiveUser: row.effectiveUser };
  return (
    <span className="flex min-w-0 flex-wrap gap-1 overflow-hidden">
      {row.heuristics.map((code) => {
        const t = describeHeuristic(code, subject);
        return (
          <Badge key={code} tone="danger" title={t.reason} aria-label={`${t.label}: ${t.reason}`} className="px-1 py-0 text-[11px]">
            {t.label}
          </Badge>
        );
      })}
    </span>
  );
}
