import { NOT_QUEUED_OVER_SHARE } from '@/domain/vt-queue';
import { formatCount, formatDuration as formatSpan } from './format';

export interface PlanFacts {
  total: number;
  cached: number;
  skipped?: number;
  /** Of `toLookUp`, the ones the host's share left out of the queue (this check queues them). */
  held?: number;
  toLookUp: number;
  queuedAhead: number;
  perMinute: number;
  leftToday: number;
  etaMs: number;
  crossesDailyLimit: boolean;
  waitingForTomorrow: number;
}

const n = (v: number, one: string, many: string) => `${formatCount(v)} ${v === 1 ? one : many}`;

/** "13 hashes, 4 cached, 9 to look up ≈ 2 min 15 s at your key's rate (4/min), 480 of today's quota left" */
export function planSentence(p: PlanFacts): string {
  const time =
    p.toLookUp === 0
      ? '(no request needed)'
      : `≈ ${formatSpan(p.etaMs)} at your key's rate (${formatCount(p.perMinute)}/min)`;
  const ahead =
    p.queuedAhead > 0 && p.toLookUp > 0 ? `, after ${n(p.queuedAhead, 'lookup', 'lookups')} already queued` : '';
  const skipped = p.skipped ? `, ${formatCount(p.skipped)} skipped (package-verified)` : '';
  const held = p.held ? ` (${notQueuedText(p.held)})` : '';
  return `${n(p.total, 'hash', 'hashes')}, ${formatCount(p.cached)} cached${skipped}, ${formatCount(p.toLookUp)} to look up${held} ${time}${ahead}, ${formatCount(p.leftToday)} of today's quota left`;
}

/** The warning when the check will cross the daily limit; null when it fits in today's quota. */
export function planWarning(p: PlanFacts): string | null {
  if (!p.crossesDailyLimit) return null;
  return `This check crosses the daily limit: ${n(p.waitingForTomorrow, 'lookup waits', 'lookups wait')} for the quota to reset at 00:00 UTC.`;
}

export interface LookupFacts {
  tier: number;
  hosts: number;
  integrity: readonly string[];
  heuristics: readonly string[];
}

const TIER_LABELS = ['first', 'early', 'normal', 'last'] as const;

/** Why the queue serves a hash where it does: "modified packaged file · runs from /tmp · 1 host". */
export function lookupReason(r: LookupFacts, badgeLabel: (code: string) => string): { when: string; why: string } {
  const why: string[] = [];
  if (r.integrity.includes('modified')) why.push('differs from its package');
  else if (r.integrity.includes('not-packaged')) why.push('not packaged');
  else if (r.integrity.length > 0 && r.integrity.every((i) => i === 'matches'))
    why.push("matches its package's checksum");
  else why.push('package not checked');
  for (const code of r.heuristics) why.push(badgeLabel(code));
  why.push(`${formatCount(r.hosts)} ${r.hosts === 1 ? 'host' : 'hosts'}`);
  return { when: TIER_LABELS[r.tier] ?? 'normal', why: why.join(' · ') };
}

/** "70 not queued: host over its share" (the run and hosts pages; e2e tests read it). */
export function notQueuedText(held: number): string {
  return `${formatCount(held)} ${NOT_QUEUED_OVER_SHARE}`;
}

/** Why hashes were held back, and what queues them. */
export function shareExplanation(perDay: number): string {
  return (
    `An agent's snapshots may queue ${n(perDay, 'new hash', 'new hashes')} per host a day ` +
    '(INGEST_VT_NEW_PER_HOST_DAY), so one host cannot spend the quota of the fleet. ' +
    "Check on VirusTotal queues them now; the host's next snapshot on a new day queues those still running."
  );
}
