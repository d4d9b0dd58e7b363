import type { FakeLimits } from './types';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * VirusTotal's two limits: a sliding 60-second window and a daily counter that resets at 00:00 UTC.
 * `over()` is asked before a lookup is answered; `consume()` only for lookups that were answered,
 * so a rate-limited request never eats into the quota (as on VirusTotal).
 */
export function createQuota(initial: Required<FakeLimits>, now: () => number, windowMs = MINUTE_MS) {
  const limits = { ...initial };
  let recent: number[] = [];
  let day = utcDay(now());
  let usedToday = 0;

  function roll(t: number): void {
    recent = recent.filter((at) => at > t - windowMs);
    const d = utcDay(t);
    if (d !== day) {
      day = d;
      usedToday = 0;
    }
  }

  return {
    /** Which limit a lookup now would break; the daily one wins because it lasts longer. */
    over(): 'day' | 'minute' | null {
      roll(now());
      if (limits.perDay > 0 && usedToday >= limits.perDay) return 'day';
      if (limits.perMinute > 0 && recent.length >= limits.perMinute) return 'minute';
      return null;
    },
    consume(): void {
      const t = now();
      roll(t);
      recent.push(t);
      usedToday += 1;
    },
    setLimits(l: FakeLimits): void {
      if (l.perMinute !== undefined) limits.perMinute = l.perMinute;
      if (l.perDay !== undefined) limits.perDay = l.perDay;
    },
    reset(): void {
      recent = [];
      usedToday = 0;
      day = utcDay(now());
    },
  };
}
export type Quota = ReturnType<typeof createQuota>;

function utcDay(t: number): number {
  return Math.floor(t / DAY_MS);
}
