import { describe, expect, it } from 'vitest';
import { expectRoundTrip } from '@/tests/url-round-trip';
import {
  enumParam,
  optionalEnumParam,
  optionalTextParam,
  paramPatch,
  readParam,
  textParam,
  toggleParam,
  toSearchString,
} from './url-params';

describe('URL param builders', () => {
  it('round-trip their values and write the default as nothing', () => {
    expectRoundTrip(textParam('q'), ['', 'nginx', 'a b,c'], '');
    expectRoundTrip(optionalTextParam('host'), [null, 'web-01', 'ünïcode host'], null);
    expectRoundTrip(
      enumParam('view', ['processes', 'executables', 'diff'], 'processes'),
      ['executables', 'diff'],
      'processes',
    );
    expectRoundTrip(optionalEnumParam('dkind', ['new', 'gone']), [null, 'new', 'gone'], null);
    expectRoundTrip(toggleParam('triage', 'untriaged'), [true, false], false);
  });

  it('read anything a link may carry as a value', () => {
    const view = enumParam('view', ['processes', 'executables'], 'processes');
    for (const raw of ['', 'EXECUTABLES', 'executables ', 'nope']) expect(view.parse(raw), raw).toBe('processes');
    expect(optionalEnumParam('dkind', ['new']).parse('old')).toBeNull();
    expect(toggleParam('triage', 'untriaged').parse('1')).toBe(false);
    expect(optionalTextParam('host').parse('')).toBeNull();
  });

  it('read the server’s searchParams the way the client reads its URL', () => {
    const search = toSearchString({ view: 'diff', q: ['first', 'second'], none: undefined, against: '12' });
    expect(search).toBe('view=diff&q=first&q=second&against=12');
    // The first of repeated values, as URLSearchParams.get in the browser.
    expect(readParam(textParam('q'), search)).toBe('first');
    expect(readParam(enumParam('view', ['processes', 'diff'], 'processes'), new URLSearchParams(search))).toBe('diff');
    expect(paramPatch(toggleParam('triage', 'untriaged'), false)).toEqual({ triage: null });
  });
});
