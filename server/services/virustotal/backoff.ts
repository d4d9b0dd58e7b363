/**
 * Retry spacing for transient VirusTotal failures (5xx, timeouts, malformed bodies).
 *
 * "Equal jitter": the ceiling doubles per attempt (base, 2·base, 4·base … capped at maxMs) and the delay
 * is drawn uniformly from [ceiling/2, ceiling]. Chosen over "full jitter" ([0, ceiling]) because full
 * jitter can retry almost at once, which against a rate-limited API only spends a request of the
 * per-minute allowance on a service that just said it is struggling; half the ceiling is a floor, the
 * other half still spreads workers apart.
 */

/** After this many transient failures in a row a lookup is marked failed instead of retried again. */
export const MAX_TRANSIENT_ATTEMPTS = 5;

export interface BackoffOptions {
  /** Ceiling for attempt 1 (ms). Default 2000. */
  baseMs?: number;
  /** No delay is ever longer than this (ms). Default 300000 (5 minutes). */
  maxMs?: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. Default Math.random. */
  random?: () => number;
}

/**
 * Delay before retrying after the `attempt`-th failure (1-based). Attempt 1 waits between base/2 and
 * base; anything below 1 (or not a number) counts as 1. Whole milliseconds.
 */
export function backoffDelayMs(attempt: number, opts: BackoffOptions = {}): number {
  const baseMs = Math.max(0, opts.baseMs ?? 2000);
  const maxMs = Math.max(0, opts.maxMs ?? 300_000);
  const random = opts.random ?? Math.random;
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : attempt > 0 ? Infinity : 1;
  // 2 ** large is Infinity, and Math.min(Infinity, maxMs) is the cap — no overflow to worry about.
  const ceiling = baseMs === 0 ? 0 : Math.min(maxMs, baseMs * 2 ** (n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
