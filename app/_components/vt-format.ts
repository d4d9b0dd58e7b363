/**
 * VirusTotal display rules shared by the badge, the tables, the run page and the quota widget
 * (pure, client-safe, unit-tested). The verdict itself is decided on the server; this only orders
 * and words what the server sent.
 */
import type { Verdict } from '@/domain/verdict';
import type { RowVt, VtCheckStatus, VtEngineRow } from '@/app/_trpc/types';
import { formatCount, formatDuration } from './format';

/** Every state a row can show: a verdict, or why there is none yet. */
export type VtDisplayState = Verdict | 'pending' | 'failed' | 'not-hashed';

export function vtDisplayState(vt: RowVt): VtDisplayState | null {
  if (!vt) return null;
  return vt.state === 'checked' ? vt.verdict : vt.state;
}

/** VTScore, or undefined when there is none, so `sortUndefined: 'last'` keeps unscored rows after scored ones. */
export function vtScoreOf(vt: RowVt): number | undefined {
  return vt?.state === 'checked' && vt.vtScore !== null ? vt.vtScore : undefined;
}

/** "7/72": engines calling the file malicious out of engines that analysed it. */
export function detectionsText(vt: RowVt): string | null {
  if (vt?.state !== 'checked' || vt.vtScore === null) return null;
  return vt.totalEngines === null ? String(vt.vtScore) : `${vt.vtScore}/${vt.totalEngines}`;
}

/** Most urgent first when sorted descending; unresolved lookups rank above clean results. */
const STATE_RANK: Record<VtDisplayState, number> = {
  malicious: 6,
  'needs-research': 5,
  failed: 4,
  pending: 3,
  'not-malicious': 2,
  'not-found': 1,
  'not-hashed': 0,
};

/** Sort key of the Verdict column: the state's rank, then VTScore within it; undefined when never checked. */
export function verdictSortValue(vt: RowVt): number | undefined {
  const state = vtDisplayState(vt);
  if (state === null) return undefined;
  return STATE_RANK[state] * 1000 + (vtScoreOf(vt) ?? 0);
}

const CATEGORY_RANK: Record<string, number> = {
  malicious: 0,
  suspicious: 1,
  harmless: 2,
  undetected: 3,
  'type-unsupported': 4,
  timeout: 5,
  'confirmed-timeout': 5,
  failure: 6,
};

/** Engines that flag the file first, then the rest by category and name. Returns a new array. */
export function sortEngines(engines: ReadonlyArray<VtEngineRow>): VtEngineRow[] {
  const rank = (c: string) => CATEGORY_RANK[c] ?? 7;
  return [...engines].sort(
    (a, b) => rank(a.category) - rank(b.category) || a.engine.localeCompare(b.engine, 'en', { sensitivity: 'base' }),
  );
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The time left of a check: "about 3 min" or "a few seconds"; null when no estimate exists. */
export function formatEta(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  if (ms < 5_000) return 'a few seconds';
  return `about ${formatDuration(ms)}`;
}

/** "next request in 9 s", or "next request: now" when the rate allows one already. */
export function nextRequestText(nextAllowedAt: Date | null, now: number): string {
  const wait = nextAllowedAt ? nextAllowedAt.getTime() - now : 0;
  return wait > 0 ? `next request in ${formatDuration(wait)}` : 'next request: now';
}

export function quotaText(requestsToday: number, dailyLimit: number): string {
  return `${formatCount(requestsToday)} / ${formatCount(dailyLimit)} requests today`;
}

/** "3 of 7 hashes checked" (the run page's progress line; e2e tests read it). */
export function progressText(checked: number, total: number): string {
  return `${formatCount(checked)} of ${formatCount(total)} hashes checked`;
}

/** Hashes that had a fresh answer in the cache when the check started (they cost no request). */
export function fromCacheCount(s: Pick<VtCheckStatus, 'total'> & { check: { uncachedAtStart: number } }): number {
  return Math.max(0, s.total - s.check.uncachedAtStart);
}

/** "7 of 7 hashes checked · 3 requests · 4 from cache" (the summary after a check). */
export function checkSummaryText(
  s: Pick<VtCheckStatus, 'total' | 'checked'> & { check: { requestsMade: number; uncachedAtStart: number } },
): string {
  return [
    progressText(s.checked, s.total),
    plural(s.check.requestsMade, 'request', 'requests'),
    `${formatCount(fromCacheCount(s))} from cache`,
  ].join(' · ');
}
