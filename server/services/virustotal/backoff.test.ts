import { describe, expect, it } from 'vitest';
import { backoffDelayMs, MAX_TRANSIENT_ATTEMPTS } from './backoff';

const low = () => 0;
const high = () => 0.999_999;

describe('backoffDelayMs (equal jitter)', () => {
  it('waits between base/2 and base after the first failure', () => {
    expect(backoffDelayMs(1, { random: low })).toBe(1000);
    expect(backoffDelayMs(1, { random: high })).toBe(2000);
    expect(backoffDelayMs(1, { random: () => 0.5 })).toBe(1500);
  });

  it('stays within [ceiling/2, ceiling] for any random value', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(300_000, 2000 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const d = backoffDelayMs(attempt);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('doubles per attempt', () => {
    const delays = [1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, { random: low }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelayMs(9, { random: high })).toBe(300_000);
    expect(backoffDelayMs(9, { random: low })).toBe(150_000);
    expect(backoffDelayMs(10_000, { random: high })).toBe(300_000);
    expect(backoffDelayMs(Infinity, { random: high })).toBe(300_000);
    expect(backoffDelayMs(4, { baseMs: 100, maxMs: 500, random: high })).toBe(500);
  });

  it('is deterministic with an injected random', () => {
    let seed = 42;
    const lcg = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const run = () => {
      seed = 42;
      return [1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, { random: lcg }));
    };
    expect(run()).toEqual(run());
  });

  it('treats attempts below 1, fractions and NaN as attempt 1; clamps an out-of-range random', () => {
    expect(backoffDelayMs(0, { random: low })).toBe(1000);
    expect(backoffDelayMs(-3, { random: low })).toBe(1000);
    expect(backoffDelayMs(Number.NaN, { random: low })).toBe(1000);
    expect(backoffDelayMs(2.7, { random: low })).toBe(2000);
    expect(backoffDelayMs(1, { random: () => 7 })).toBe(2000);
    expect(backoffDelayMs(1, { random: () => -1 })).toBe(1000);
  });

  it('returns whole milliseconds, and 0 with a zero base', () => {
    expect(Number.isInteger(backoffDelayMs(3, { baseMs: 333, random: () => 0.123 }))).toBe(true);
    expect(backoffDelayMs(5, { baseMs: 0 })).toBe(0);
  });

  it('gives up after five transient failures', () => {
    expect(MAX_TRANSIENT_ATTEMPTS).toBe(5);
  });
});
