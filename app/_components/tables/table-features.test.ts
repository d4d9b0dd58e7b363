import { describe, expect, it } from 'vitest';
import { createSearchFilterFn } from './table-features';

type R = { name: string; sha256: string | null };
const fn = createSearchFilterFn<R>((r) => [r.name, r.sha256 ?? ''].join('\u0000'));
// The filter only reads `row.original`.
const row = (original: R) => ({ original }) as unknown as Parameters<typeof fn>[0];
const needle = (v: string) => fn.resolveFilterValue?.(v);

describe('createSearchFilterFn', () => {
  it('matches a case-insensitive, trimmed substring of any searched field', () => {
    const r = row({ name: 'NGINX', sha256: 'ABCDEF0123' });
    expect(fn(r, 'name', needle('nginx'))).toBe(true);
    expect(fn(r, 'name', needle('  cdef01 '))).toBe(true);
    expect(fn(r, 'name', needle('apache'))).toBe(false);
  });

  it('does not match across field boundaries', () => {
    expect(fn(row({ name: 'ab', sha256: 'cd' }), 'name', needle('bc'))).toBe(false);
  });
});
