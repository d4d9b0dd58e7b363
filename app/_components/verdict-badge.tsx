import { Ban, CircleAlert, CircleCheck, Clock, SearchX, ShieldAlert, ShieldQuestionMark } from 'lucide-react';
import type { ComponentType, SVGProps } from 'react';
import type { RowVt } from '@/app/_trpc/types';
// The one pure module of the VirusTotal service the UI may load: the labels are defined once, there.
import { VERDICT_LABELS } from '@/domain/verdict';
import { Badge, type BadgeTone } from './ui/badge';
import { cn } from './ui/cn';
import { vtDisplayState, type VtDisplayState } from './vt-format';

type Icon = ComponentType<SVGProps<SVGSVGElement>>;

const LOOK: Record<VtDisplayState, { label: string; tone: BadgeTone; icon: Icon; className?: string }> = {
  malicious: { label: VERDICT_LABELS.malicious, tone: 'danger', icon: ShieldAlert },
  'needs-research': { label: VERDICT_LABELS['needs-research'], tone: 'warn', icon: ShieldQuestionMark },
  'not-malicious': { label: VERDICT_LABELS['not-malicious'], tone: 'ok', icon: CircleCheck },
  'not-found': { label: VERDICT_LABELS['not-found'], tone: 'neutral', icon: SearchX },
  pending: { label: VERDICT_LABELS.pending, tone: 'info', icon: Clock },
  // Outlined, so a lookup that gave up never reads as a malicious verdict.
  failed: {
    label: VERDICT_LABELS.failed,
    tone: 'danger',
    icon: CircleAlert,
    className: 'bg-transparent border-danger',
  },
  'not-hashed': { label: 'Not hashed', tone: 'neutral', icon: Ban },
};

function titleFor(vt: NonNullable<RowVt>): string | undefined {
  if (vt.state === 'checked') {
    if (vt.vtScore === null) return 'VirusTotal has no report for this file.';
    return `VTScore ${vt.vtScore}${vt.totalEngines === null ? '' : ` of ${vt.totalEngines} engines`}`;
  }
  if (vt.state === 'failed') return vt.reason ? `Lookup failed: ${vt.reason}` : 'Lookup failed.';
  if (vt.state === 'pending')
    return vt.reason ? `Waiting for VirusTotal (last try: ${vt.reason})` : 'Waiting for VirusTotal.';
  return `Not hashed: ${vt.reason}`;
}

/**
 * A row's VirusTotal state as icon + word, so it reads without colour. `null` (never submitted for
 * a check) shows a muted dash.
 */
export function VerdictBadge({ vt, className }: { vt: RowVt; className?: string }) {
  const state = vtDisplayState(vt);
  if (!vt || state === null)
    return (
      <span className="text-muted" title="Not checked on VirusTotal yet">
        —
      </span>
    );
  const look = LOOK[state];
  const Icon = look.icon;
  return (
    <Badge tone={look.tone} title={titleFor(vt)} className={cn(look.className, className)}>
      <Icon aria-hidden />
      {look.label}
    </Badge>
  );
}
