import { describe, expect, it } from 'vitest';
import { freshnessAt, isFresh } from './vt-cache';

describe('the cache freshness rule', () => {
  const now = Date.UTC(2026, 11, 7, 12);
  const fresh = freshnessAt({ cacheTtlDays: 7, notFoundTtlHours: 24 }, now);
  const at = (ms: number) => new Date(ms);

  it('a report is fresh for cacheTtlDays, a "not found" for notFoundTtlHours (edges included)', () => {
    expect(fresh.foundAfter).toEqual(at(now - 7 * 86_400_000));
    expect(fresh.notFoundAfter).toEqual(at(now - 24 * 3_600_000));
    expect(isFresh({ found: true, fetchedAt: fresh.foundAfter }, fresh)).toBe(true);
    expect(isFresh({ found: true, fetchedAt: at(fresh.foundAfter.getTime() - 1) }, fresh)).toBe(false);
    expect(isFresh({ found: false, fetchedAt: fresh.notFoundAfter }, fresh)).toBe(true);
    expect(isFresh({ found: false, fetchedAt: at(fresh.notFoundAfter.getTime() - 1) }, fresh)).toBe(false);
    // Two days old: a report still is, a "not found" no longer.
    expect(isFresh({ found: true, fetchedAt: at(now - 2 * 86_400_000) }, fresh)).toBe(true);
    expect(isFresh({ found: false, fetchedAt: at(now - 2 * 86_400_000) }, fresh)).toBe(false);
  });

  it('no stored answer is never fresh; a zero TTL trusts only what was fetched at this instant or later', () => {
    expect(isFresh(null, fresh)).toBe(false);
    const none = freshnessAt({ cacheTtlDays: 0, notFoundTtlHours: 0 }, now);
    expect(isFresh({ found: true, fetchedAt: at(now - 1) }, none)).toBe(false);
    expect(isFresh({ found: true, fetchedAt: at(now) }, none)).toBe(true);
  });
});
