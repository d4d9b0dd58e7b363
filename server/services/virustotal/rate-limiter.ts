import 'server-only';
import type { Db } from '@/db';
import { pushNextAllowedAt, readQuota, updateQuota, withLockedQuota } from '@/db/queries/vt-quota';

/**
 * The VirusTotal rate limiter lives in the database, not in memory: every permit is taken under a
 * row lock on the quota row, so workers in any number of processes share one key's budget, and a
 * restart remembers what was spent today. Requests are spaced evenly (60 s / rate), which keeps
 * VT's sliding per-minute window from ever seeing a burst.
 */
export interface Limits {
  perMinute: number;
  perDay: number;
}

export type Permit =
  | { ok: true }
  | { ok: false; kind: 'wait'; waitMs: number }
  | { ok: false; kind: 'paused'; reason: 'daily' | 'auth'; until: Date | null; message: string };

/**
 * A little over 60 s / rate. VT counts a sliding window of exactly 60 s, and requests reach it
 * with some jitter, so each gap carries a margin: 1 % of the gap, at most 250 ms (15.15 s at the
 * public key's 4/min; 101 ms at 600/min).
 */
export function spacingMs(perMinute: number): number {
  const base = 60_000 / perMinute;
  return Math.ceil(base + Math.min(250, base * 0.01));
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function nextUtcMidnight(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}

export const DAILY_MESSAGE = 'Daily quota reached — resumes at 00:00 UTC';

export async function tryAcquirePermit(db: Db, limits: Limits, at?: Date): Promise<Permit> {
  return withLockedQuota(db, utcDay(at ?? new Date()), async (q, update): Promise<Permit> => {
    // The clock is read once the row is ours: a time taken before waiting for the lock would be
    // stale, and the next slot counted from it would come too soon.
    const now = at ?? new Date();
    const today = utcDay(now);
    let { dayCount, pausedUntil, pauseReason } = q;
    if (q.day !== today) {
      dayCount = 0;
      if (pauseReason === 'daily') {
        pausedUntil = null;
        pauseReason = null;
      }
      await update({
        day: today,
        dayCount: 0,
        pausedUntil,
        pauseReason,
        pauseMessage: pauseReason ? q.pauseMessage : null,
      });
    }
    if (pauseReason === 'auth') {
      return {
        ok: false,
        kind: 'paused',
        reason: 'auth',
        until: null,
        message: q.pauseMessage ?? 'VirusTotal rejected the API key.',
      };
    }
    if (pauseReason === 'daily' && pausedUntil && pausedUntil > now) {
      return { ok: false, kind: 'paused', reason: 'daily', until: pausedUntil, message: DAILY_MESSAGE };
    }
    if (dayCount >= limits.perDay) {
      const until = nextUtcMidnight(now);
      await update({ pausedUntil: until, pauseReason: 'daily', pauseMessage: DAILY_MESSAGE });
      return { ok: false, kind: 'paused', reason: 'daily', until, message: DAILY_MESSAGE };
    }
    const wait = q.nextAllowedAt.getTime() - now.getTime();
    if (wait > 0) return { ok: false, kind: 'wait', waitMs: wait };

    await update({
      dayCount: dayCount + 1,
      // From the moment of this permit, never from the slot it waited for: a late request followed
      // by an on-time one would otherwise land closer than 60 s / rate and risk a 429.
      nextAllowedAt: new Date(now.getTime() + spacingMs(limits.perMinute)),
      lastRequestAt: now,
      pausedUntil: null,
      pauseReason: null,
      pauseMessage: null,
    });
    return { ok: true };
  });
}

/**
 * Counts the next slot from when a request really left, if that was later than its permit (the
 * first request of a process can take tens of milliseconds to go out): sends, not permits, must
 * stay 60 s / rate apart.
 */
export async function markSent(db: Db, perMinute: number, sentAt: Date): Promise<void> {
  const next = new Date(sentAt.getTime() + spacingMs(perMinute));
  await pushNextAllowedAt(db, next);
}

/** How much later than its permit a request may have left (markSent) and still be a regular gap. */
const SEND_LATENCY_MS = 10_000;

/**
 * A raised per-minute rate (a paid key) counts from the last request at once: the next request need
 * not wait out the old, longer gap, re-measured from when the last request left (the slot minus
 * the old spacing). A lowered rate applies from the next request on, as every new setting does;
 * the slot already set stays. A back-off after a 429 is not a gap and stays as it is.
 */
export async function applyRateChange(db: Db, fromPerMinute: number, toPerMinute: number, at?: Date): Promise<void> {
  if (toPerMinute <= fromPerMinute) return;
  await withLockedQuota(db, utcDay(at ?? new Date()), async (q, update) => {
    if (!q.lastRequestAt) return;
    const sentAt = q.nextAllowedAt.getTime() - spacingMs(fromPerMinute);
    const permitAt = q.lastRequestAt.getTime();
    if (sentAt < permitAt || sentAt > permitAt + SEND_LATENCY_MS) return;
    await update({ nextAllowedAt: new Date(sentAt + spacingMs(toPerMinute)) });
  });
}

/**
 * How long everyone waits after a per-minute 429 (someone else spent the account's minute): four
 * request slots, so a full minute at the public key's 4/min and a second at 240/min and above.
 */
export function rateLimitPauseMs(perMinute: number): number {
  return Math.min(60_000, Math.max(1_000, Math.round((4 * 60_000) / perMinute)));
}

export async function backOffForMinute(db: Db, perMinute: number, now = new Date()): Promise<void> {
  await updateQuota(db, { nextAllowedAt: new Date(now.getTime() + rateLimitPauseMs(perMinute)) });
}

export async function pauseUntilMidnight(db: Db, now = new Date()): Promise<Date> {
  const until = nextUtcMidnight(now);
  await updateQuota(db, { pausedUntil: until, pauseReason: 'daily', pauseMessage: DAILY_MESSAGE });
  return until;
}

export async function pauseForAuth(db: Db, message: string): Promise<void> {
  await updateQuota(db, { pausedUntil: null, pauseReason: 'auth', pauseMessage: message });
}

/** A new key (or a retry asked by the user) lifts an auth stop. */
export async function clearAuthPause(db: Db): Promise<void> {
  const q = await readQuota(db);
  if (q?.pauseReason === 'auth') await updateQuota(db, { pauseReason: null, pauseMessage: null, pausedUntil: null });
}

/** A raised daily limit ends a pause our own count started (VirusTotal's own 429 re-pauses if it must). */
export async function liftDailyPauseIfAllowed(db: Db, perDay: number, now = new Date()): Promise<void> {
  const q = await readQuota(db);
  if (q?.pauseReason === 'daily' && q.day === utcDay(now) && q.dayCount < perDay) {
    await updateQuota(db, { pauseReason: null, pausedUntil: null, pauseMessage: null });
  }
}

export interface QuotaStatus {
  requestsToday: number;
  dailyLimit: number;
  perMinute: number;
  nextAllowedAt: Date | null;
  paused: { reason: 'daily' | 'auth'; until: Date | null; message: string } | null;
}

export async function quotaStatus(db: Db, limits: Limits, now = new Date()): Promise<QuotaStatus> {
  const q = await readQuota(db);
  const sameDay = q?.day === utcDay(now);
  let paused: QuotaStatus['paused'] = null;
  if (q?.pauseReason === 'auth')
    paused = { reason: 'auth', until: null, message: q.pauseMessage ?? 'VirusTotal rejected the API key.' };
  else if (q?.pauseReason === 'daily' && q.pausedUntil && q.pausedUntil > now)
    paused = { reason: 'daily', until: q.pausedUntil, message: DAILY_MESSAGE };
  return {
    requestsToday: sameDay ? (q?.dayCount ?? 0) : 0,
    dailyLimit: limits.perDay,
    perMinute: limits.perMinute,
    nextAllowedAt: q && q.nextAllowedAt > now ? q.nextAllowedAt : null,
    paused,
  };
}
