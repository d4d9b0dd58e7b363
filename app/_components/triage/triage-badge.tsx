import { CircleCheck, ShieldAlert, ShieldOff } from 'lucide-react';
import type { ComponentType, SVGProps } from 'react';
import { TRIAGE_LABELS, type TriageDecision } from '@/domain/triage';
import { formatDateTime } from '../format';
import { Badge, type BadgeTone } from '../ui/badge';

type Icon = ComponentType<SVGProps<SVGSVGElement>>;

const LOOK: Record<TriageDecision, { tone: BadgeTone; icon: Icon }> = {
  malicious: { tone: 'danger', icon: ShieldAlert },
  'false-positive': { tone: 'info', icon: ShieldOff },
  benign: { tone: 'ok', icon: CircleCheck },
};

export interface TriageView {
  decision: TriageDecision;
  note: string;
  decidedBy: string;
  decidedAt: Date;
}

/** "Confirmed malicious by Ann <ann@…> on 30/11/2026, 15:20 — note" (hover text; React text only). */
export function triageSummary(t: TriageView): string {
  const base = `${TRIAGE_LABELS[t.decision]} by ${t.decidedBy} on ${formatDateTime(t.decidedAt)}`;
  return t.note ? `${base}\nNote: ${t.note}` : base;
}

/** The decision as icon + words (reads without colour); who, when and the note on hover. */
export function TriageBadge({ triage, withTitle = true }: { triage: TriageView; withTitle?: boolean }) {
  const look = LOOK[triage.decision];
  const Icon = look.icon;
  return (
    <Badge tone={look.tone} title={withTitle ? triageSummary(triage) : undefined}>
      <Icon aria-hidden />
      {TRIAGE_LABELS[triage.decision]}
    </Badge>
  );
}
