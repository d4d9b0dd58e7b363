import { describe, expect, it } from 'vitest';
import { expectRoundTrip } from '@/tests/url-round-trip';
import { readParam } from '../_components/url/url-params';
import { prevalenceParams as P } from './prevalence-params';

describe('the Prevalence page URL', () => {
  it('keeps the names and values shared links use', () => {
    expect([P.sort.key, P.days.key, P.hash.key, P.triage.key]).toEqual(['sort', 'days', 'hash', 'triage']);
    const link = `sort=vtScore&days=7&hash=${'a'.repeat(64)}&triage=untriaged`;
    expect(readParam(P.sort, link)).toBe('vtScore');
    expect(readParam(P.days, link)).toBe(7);
    expect(readParam(P.hash, link)).toBe('a'.repeat(64));
    expect(readParam(P.triage, link)).toBe(true);
    expect(readParam(P.sort, 'sort=name')).toBe('hosts');
    expect(readParam(P.days, 'days=soon')).toBeUndefined();
  });

  it('round-trips every value it writes', () => {
    expectRoundTrip(P.sort, ['hosts', 'vtScore'], 'hosts');
    expectRoundTrip(P.days, [undefined, 1, 7, 30], undefined);
    expectRoundTrip(P.hash, [null, 'f'.repeat(64)], null);
    expectRoundTrip(P.triage, [true, false], false);
  });
});
