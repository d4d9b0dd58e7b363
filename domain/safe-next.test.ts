import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const ORIGIN = 'http://127.0.0.1:3000';

/** What a browser makes of `next` once the sign-in form hands it to the router. */
function landsOn(next: string): string {
  return new URL(next, ORIGIN).origin;
}

describe('safeNext: where sign-in may send the browser', () => {
  it('keeps a path on this origin, with its query and fragment', () => {
    for (const p of [
      '/',
      '/runs',
      '/runs/12?view=executables&sort=name',
      '/prevalence?days=7#top',
      '/runs/3?q=%2Fusr%2Fbin%2F&cols=name,exe',
      '/runs/3?q=C%3A%5CWindows',
    ]) {
      expect(safeNext(p, ORIGIN)).toBe(p);
    }
  });

  it('sends every other value to / (issue #17: backslash, tab, protocol-relative, absolute, scripts)', () => {
    // As URLSearchParams hands them over: `next=/%5Cattacker.test/x` arrives as `/\attacker.test/x`.
    for (const hostile of [
      '/\\attacker.test/x',
      '/\\\\attacker.test',
      '\\\\attacker.test',
      '/\t/attacker.test/x',
      '/\n/attacker.test',
      '//attacker.test',
      '///attacker.test',
      '//attacker.test/%2F..',
      '/.//attacker.test',
      // Encoded once more (a `next` that reaches the form already decoded once, or a path):
      '/%5Cattacker.test',
      '/%5C%5Cattacker.test',
      '/%2F%2Fattacker.test',
      '/%2F/attacker.test',
      '/%09/attacker.test',
      '/%0A/attacker.test',
      '/%zz',
      '/./\\attacker.test',
      'https://attacker.test/',
      'http://127.0.0.1:3001/',
      'HTTPS:attacker.test',
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'attacker.test',
      'runs',
      '',
    ]) {
      const out = safeNext(hostile, ORIGIN);
      expect(landsOn(out), JSON.stringify(hostile)).toBe(ORIGIN);
      expect(out, JSON.stringify(hostile)).toBe('/');
    }
  });

  it('does not bounce back to sign-in, and ignores an over-long or missing value', () => {
    expect(safeNext('/sign-in?next=/runs', ORIGIN)).toBe('/');
    expect(safeNext(null, ORIGIN)).toBe('/');
    expect(safeNext(undefined, ORIGIN)).toBe('/');
    expect(safeNext(`/${'a'.repeat(5000)}`, ORIGIN)).toBe('/');
  });

  it('the result, parsed again, stays on the origin as the same path', () => {
    for (const p of ['/runs/%2F%2Fx', '/a/../b', '/%09x']) {
      const out = safeNext(p, ORIGIN);
      expect(landsOn(out)).toBe(ORIGIN);
      expect(out.startsWith('//')).toBe(false);
    }
  });
});
