import { describe, expect, it } from 'vitest';
import { boundedDate, INT32_MAX, int32Count, jsonValueProblem, MAX_SAFE, TEXT_CEILING, TEXT_MAX } from './limits';

describe('the floor every untrusted input gets (jsonValueProblem)', () => {
  it('finds a NUL in any text or key, with the path to it', () => {
    expect(jsonValueProblem({ note: 'a\u0000b' })).toBe('input.note must not contain a NUL character');
    expect(jsonValueProblem({ a: [{ b: 'ok' }, { c: ['x', '\u0000'] }] })).toBe(
      'input.a[1].c[1] must not contain a NUL character',
    );
    expect(jsonValueProblem({ 'k\u0000': 1 }, 'body')).toBe('body has a key with a NUL character');
    expect(jsonValueProblem(new Map([['m', new Set(['\u0000'])]]))).toBe('input.m[0] must not contain a NUL character');
  });

  it('refuses numbers that are not finite or beyond ±2^53, and invalid dates', () => {
    for (const n of [1e308, -1e308, Infinity, -Infinity, NaN, MAX_SAFE + 2]) {
      expect(jsonValueProblem({ n }), String(n)).toMatch(/^input\.n must be a finite number between/);
    }
    expect(jsonValueProblem({ n: BigInt(MAX_SAFE) * 2n })).toMatch(/finite number/);
    expect(jsonValueProblem([new Date(NaN)])).toBe('input[0] must be a valid date');
  });

  it('refuses a text longer than the longest field, and accepts everything within bounds', () => {
    expect(jsonValueProblem('x'.repeat(TEXT_CEILING + 1))).toBe(`input must be at most ${TEXT_CEILING} characters`);
    expect(TEXT_CEILING).toBe(TEXT_MAX.cmdline);
    expect(
      jsonValueProblem({
        s: 'x'.repeat(TEXT_CEILING),
        n: [0, -1, 0.5, MAX_SAFE, -MAX_SAFE],
        b: true,
        z: null,
        d: new Date(),
        u: undefined,
      }),
    ).toBeNull();
  });

  it('walks a deeply nested or very long document without recursion, once per value', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonValueProblem(deep)).toBe(`input${'[0]'.repeat(100_000)} must not contain a NUL character`);
    const wide = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(jsonValueProblem(wide)).toBeNull();
  });
});

describe('number and date budgets', () => {
  it('int32Count holds what a PostgreSQL integer holds', () => {
    expect(int32Count.safeParse(INT32_MAX).success).toBe(true);
    expect(int32Count.safeParse(INT32_MAX + 1).success).toBe(false);
    expect(int32Count.safeParse(-1).success).toBe(false);
    expect(int32Count.safeParse(1.5).success).toBe(false);
  });

  it('boundedDate takes 1970 to 9999, not the whole range of a JavaScript date', () => {
    expect(boundedDate.safeParse('2026-12-01T00:00:00Z').success).toBe(true);
    for (const d of ['-100000-01-01T00:00:00Z', '+200000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', 'not a date']) {
      expect(boundedDate.safeParse(d).success, d).toBe(false);
    }
  });
});
