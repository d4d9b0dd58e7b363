import { describe, expect, it } from 'vitest';
import { expectRoundTrip } from '@/tests/url-round-trip';
import { readParam } from '../_components/url/url-params';
import { signInHref, signInParams } from '../sign-in/sign-in-params';
import { runsOfHostHref, runsParams } from './runs-params';

describe('the Runs and Sign-in page URLs', () => {
  it('link to a host’s history the way the Runs page reads it', () => {
    for (const host of ['web-01', 'db 2 & co', 'hôte/ünï?#']) {
      const href = runsOfHostHref(host);
      expect(href.startsWith('/runs?host=')).toBe(true);
      expect(readParam(runsParams.host, new URL(href, 'http://x').search)).toBe(host);
    }
    expectRoundTrip(runsParams.host, [null, 'web-01'], null);
  });

  it('send sign-in back to the page it came from', () => {
    const next = '/runs/12?view=diff&against=3';
    expect(signInHref(next)).toBe(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(readParam(signInParams.next, new URL(signInHref(next), 'http://x').search)).toBe(next);
    expectRoundTrip(signInParams.next, [null, '/hosts'], null);
  });
});
