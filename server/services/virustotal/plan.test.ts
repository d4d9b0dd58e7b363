import { describe, expect, it } from 'vitest';
import { planCheck } from './plan';
import { spacingMs, type QuotaStatus } from './rate-limiter';

const now = new Date('2026-11-30T12:00:00Z');
const quota = (over: Partial<QuotaStatus> = {}): QuotaStatus => ({
  requestsToday: 0,
  dailyLimit: 500,
  perMinute: 4,
  nextAllowedAt: null,
  paused: null,
  ...over,
});

describe('planCheck', () => {
  it('counts cached hashes as free and times the rest at the key rate', () => {
    const plan = planCheck(
      { total: 60, cached: 20, queued: 0, verifiedUncached: 0 },
      quota({ requestsToday: 100 }),
      now,
    );
    expect(plan).toMatchObject({ total: 60, cached: 20, toLookUp: 40, leftToday: 400, crossesDailyLimit: false });
    expect(plan.etaMs).toBe(39 * spacingMs(4));
    expect(plan.recheck).toMatchObject({ toLookUp: 60, crossesDailyLimit: false });
  });

  it('costs nothing when every hash is cached', () => {
    expect(planCheck({ total: 5, cached: 5, queued: 3, verifiedUncached: 0 }, quota(), now)).toMatchObject({
      toLookUp: 0,
      etaMs: 0,
      crossesDailyLimit: false,
    });
  });

  it('puts the queue of other checks first', () => {
    const plan = planCheck({ total: 10, cached: 0, queued: 5, verifiedUncached: 0 }, quota(), now);
    expect(plan.etaMs).toBe(14 * spacingMs(4));
  });

  it('warns when the check crosses the daily limit and counts what waits for 00:00 UTC', () => {
    const plan = planCheck(
      { total: 50, cached: 0, queued: 0, verifiedUncached: 0 },
      quota({ requestsToday: 480 }),
      now,
    );
    expect(plan).toMatchObject({ leftToday: 20, crossesDailyLimit: true, waitingForTomorrow: 30 });
    // 12 h to midnight, then the remaining 30 at the rate.
    expect(plan.etaMs).toBe(12 * 3_600_000 + 29 * spacingMs(4));
  });

  it('waits for a daily pause to end', () => {
    const until = new Date('2026-12-01T00:00:00Z');
    const plan = planCheck(
      { total: 3, cached: 1, queued: 0, verifiedUncached: 0 },
      quota({ paused: { reason: 'daily', until, message: 'x' } }),
      now,
    );
    expect(plan).toMatchObject({ toLookUp: 2, crossesDailyLimit: true, waitingForTomorrow: 2 });
  });
});

describe('planCheck with the skip setting', () => {
  it('leaves package-verified executables out of the lookups only when the setting is on', () => {
    const counts = { total: 30, cached: 10, queued: 0, verifiedUncached: 15 };
    expect(planCheck(counts, quota(), now)).toMatchObject({ skipped: 0, toLookUp: 20 });
    expect(planCheck(counts, quota(), now, true)).toMatchObject({ skipped: 15, toLookUp: 5 });
  });
});
