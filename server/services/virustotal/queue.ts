import 'server-only';
import type { Db } from '@/db';
import { ProcLensError } from '@/domain/errors';
import {
  cancelRunCheck,
  completeFinishedChecks,
  enqueueRunCheck,
  getRunCheck,
  retryFailedForRun,
  runHashCounts,
  type RunHashCounts,
  type EnqueueOptions,
} from '@/db/queries/vt';
import { QUEUE_PRIORITY } from '@/domain/vt-queue';
import { getEnv } from '@/lib/env';
import {
  applyRateChange,
  clearAuthPause,
  liftDailyPauseIfAllowed,
  quotaStatus,
  spacingMs,
  utcDay,
  type QuotaStatus,
} from './rate-limiter';
import { freshnessFor, getVtSettings, updateVtSettings, type VtSettings } from './settings';
import { processSingleton } from '@/lib/singleton';

export class VtNotConfiguredError extends ProcLensError {
  constructor() {
    super('precondition', 'No VirusTotal API key is set. Add one on the Settings page or set VT_API_KEY.');
  }
}

const wakeSlot = processSingleton<Set<() => void>>('vt-wake');

/** Workers in this process register here so a new check starts without waiting for a poll. */
export function workerWakers(): Set<() => void> {
  return wakeSlot.once(() => new Set());
}

function wakeWorkers(): void {
  for (const wake of workerWakers()) wake();
}

/**
 * "Check on VirusTotal": queue every hash of the run without a fresh verdict (all of them with
 * `force`, the Re-check action). Hashes already cached cost nothing; a run whose hashes are all
 * cached completes at once with zero requests. A person asking goes before what agents' snapshots
 * queued on their own, and is not held to the host's daily share.
 */
export async function startRunCheck(db: Db, runId: number, opts: { force?: boolean } = {}) {
  const { total, uncached, skipped } = await queueRunCheck(db, runId, {
    force: opts.force ?? false,
    priority: QUEUE_PRIORITY.asked,
  });
  return { total, uncached, skipped };
}

/**
 * An agent's snapshot as it arrives (INGEST_VT_CHECK): its hashes are queued behind what people
 * asked for, and its new ones only up to its host's share of the UTC day
 * (INGEST_VT_NEW_PER_HOST_DAY); the rest is held ("not queued: host over its share").
 */
export async function startAgentSnapshotCheck(db: Db, runId: number, now = new Date()) {
  return queueRunCheck(db, runId, {
    force: false,
    priority: QUEUE_PRIORITY.agent,
    share: { perDay: getEnv().INGEST_VT_NEW_PER_HOST_DAY, day: utcDay(now) },
  });
}

async function queueRunCheck(db: Db, runId: number, opts: Omit<EnqueueOptions, 'skipVerified'>) {
  const settings = await getVtSettings(db);
  if (!settings.apiKey) throw new VtNotConfiguredError();
  await clearAuthPause(db);
  const counts = await enqueueRunCheck(db, runId, freshnessFor(settings), {
    ...opts,
    skipVerified: settings.skipPackageVerified,
  });
  await completeFinishedChecks(db, settings.skipPackageVerified);
  wakeWorkers();
  return counts;
}

/**
 * Saves settings and makes them felt at once: a raised daily limit lifts our own pause, a new
 * per-minute rate re-times the next request, and waiting workers look again.
 */
export async function changeVtSettings(db: Db, patch: Parameters<typeof updateVtSettings>[1]): Promise<VtSettings> {
  const before = await getVtSettings(db);
  await updateVtSettings(db, patch);
  const after = await getVtSettings(db);
  await liftDailyPauseIfAllowed(db, after.requestsPerDay);
  await applyRateChange(db, before.requestsPerMinute, after.requestsPerMinute);
  wakeWorkers();
  return after;
}

export async function cancelCheck(db: Db, runId: number): Promise<boolean> {
  return cancelRunCheck(db, runId);
}

export async function retryFailed(db: Db, runId: number): Promise<number> {
  const n = await retryFailedForRun(db, runId);
  if (n > 0) {
    const check = await getRunCheck(db, runId);
    if (check && check.status !== 'active') await startRunCheck(db, runId);
    else wakeWorkers();
  }
  return n;
}

export interface RunCheckStatus extends RunHashCounts {
  check: {
    status: 'active' | 'completed' | 'cancelled';
    requestedAt: Date;
    finishedAt: Date | null;
    requestsMade: number;
    uncachedAtStart: number;
  } | null;
  /** The share those were held to: new lookups per host and UTC day (INGEST_VT_NEW_PER_HOST_DAY). */
  sharePerDay: number;
  /** Time until the pending hashes are done at the key's rate; null when nothing is under way. */
  etaMs: number | null;
  quota: QuotaStatus;
  keyConfigured: boolean;
}

export async function runCheckStatus(db: Db, runId: number, now = new Date()): Promise<RunCheckStatus> {
  const settings = await getVtSettings(db);
  const limits = { perMinute: settings.requestsPerMinute, perDay: settings.requestsPerDay };
  const [check, counts, quota] = await Promise.all([
    getRunCheck(db, runId),
    runHashCounts(db, runId, settings.skipPackageVerified),
    quotaStatus(db, limits, now),
  ]);
  let etaMs: number | null = null;
  if (check?.status === 'active' && counts.pending > 0) {
    const spacing = spacingMs(settings.requestsPerMinute);
    const firstSlot = quota.nextAllowedAt ? quota.nextAllowedAt.getTime() - now.getTime() : 0;
    etaMs = Math.max(0, firstSlot) + (counts.pending - 1) * spacing;
    const leftToday = Math.max(0, quota.dailyLimit - quota.requestsToday);
    if (quota.paused?.until) etaMs += quota.paused.until.getTime() - now.getTime();
    else if (counts.pending > leftToday) {
      // What today's quota cannot cover waits for 00:00 UTC.
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      etaMs = midnight - now.getTime() + (counts.pending - leftToday) * spacing;
    }
    if (quota.paused?.reason === 'auth') etaMs = null;
  }
  return {
    check: check
      ? {
          status: check.status,
          requestedAt: check.requestedAt,
          finishedAt: check.finishedAt,
          requestsMade: check.requestsMade,
          uncachedAtStart: check.uncachedAtStart,
        }
      : null,
    ...counts,
    sharePerDay: getEnv().INGEST_VT_NEW_PER_HOST_DAY,
    etaMs,
    quota,
    keyConfigured: settings.apiKey !== null,
  };
}
