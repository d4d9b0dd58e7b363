import 'server-only';
import type { Db } from '@/db';
import { runCheckCounts, type RunCheckCounts } from '@/db/queries/vt-plan';
import { quotaStatus, spacingMs, type QuotaStatus } from './rate-limiter';
import { freshnessFor, getVtSettings } from './settings';

/**
 * The quota planner: what a check will cost before it starts. "N hashes, M cached, K to look up
 * ≈ T at your key's rate, D of today's quota left", and whether it crosses the daily limit.
 */
export interface CheckPlan {
  total: number;
  cached: number;
  /** Package-verified executables the skip setting leaves out (0 when it is off). */
  skipped: number;
  /**
   * Hashes an agent's snapshot left out of the queue because its host was over its daily share;
   * checking now queues them (they are among `toLookUp`).
   */
  held: number;
  toLookUp: number;
  /** Lookups already queued that go first (hosts take turns: other hosts count up to this check's size). */
  queuedAhead: number;
  perMinute: number;
  dailyLimit: number;
  leftToday: number;
  /** Until the last lookup of this check is answered, counting the queue ahead and a day boundary. */
  etaMs: number;
  /** This check needs more requests than today's quota has left. */
  crossesDailyLimit: boolean;
  /** Lookups that wait for the quota to reset at 00:00 UTC. */
  waitingForTomorrow: number;
  /** A re-check asks again for every hash: its own figures. */
  recheck: { toLookUp: number; etaMs: number; crossesDailyLimit: boolean };
}

function estimate(requests: number, ahead: number, quota: QuotaStatus, now: Date) {
  const spacing = spacingMs(quota.perMinute);
  const leftToday = Math.max(0, quota.dailyLimit - quota.requestsToday);
  const all = ahead + requests;
  const firstSlot = quota.nextAllowedAt ? Math.max(0, quota.nextAllowedAt.getTime() - now.getTime()) : 0;
  if (requests === 0) return { etaMs: 0, crossesDailyLimit: false, waitingForTomorrow: 0 };
  if (all <= leftToday && !quota.paused?.until) {
    return { etaMs: firstSlot + (all - 1) * spacing, crossesDailyLimit: false, waitingForTomorrow: 0 };
  }
  // What today's quota cannot cover waits for 00:00 UTC (or the pause's end), then goes on at the rate.
  const resume =
    quota.paused?.until?.getTime() ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const today = quota.paused?.until ? 0 : leftToday;
  const later = Math.max(0, all - today);
  const waitingForTomorrow = Math.min(requests, later);
  return {
    etaMs: resume - now.getTime() + Math.max(0, later - 1) * spacing,
    crossesDailyLimit: waitingForTomorrow > 0,
    waitingForTomorrow,
  };
}

export function planCheck(counts: RunCheckCounts, quota: QuotaStatus, now: Date, skipVerified = false): CheckPlan {
  const skipped = skipVerified ? counts.verifiedUncached : 0;
  const toLookUp = counts.total - counts.cached - skipped;
  const normal = estimate(toLookUp, counts.queued, quota, now);
  const forced = estimate(counts.total, counts.queued, quota, now);
  return {
    total: counts.total,
    cached: counts.cached,
    skipped,
    held: counts.held ?? 0,
    toLookUp,
    queuedAhead: counts.queued,
    perMinute: quota.perMinute,
    dailyLimit: quota.dailyLimit,
    leftToday: Math.max(0, quota.dailyLimit - quota.requestsToday),
    ...normal,
    recheck: { toLookUp: counts.total, etaMs: forced.etaMs, crossesDailyLimit: forced.crossesDailyLimit },
  };
}

/** The plan for checking one run now, from the database's cache, queue and quota. */
export async function loadCheckPlan(db: Db, runId: number, now = new Date()): Promise<CheckPlan> {
  const settings = await getVtSettings(db);
  const [counts, quota] = await Promise.all([
    runCheckCounts(db, runId, freshnessFor(settings, now.getTime())),
    quotaStatus(db, { perMinute: settings.requestsPerMinute, perDay: settings.requestsPerDay }, now),
  ]);
  return planCheck(counts, quota, now, settings.skipPackageVerified);
}
