import { describe, expect, it } from 'vitest';
import { neutraliseCell } from './neutralise';

describe('neutraliseCell', () => {
  it.each([
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(A1)',
    '\tx',
    '\rx',
    '\uFF1D1+1',
    '\uFF0B1',
    '\uFF0D1',
    '\uFF20SUM(A1)',
  ])('prefixes an apostrophe to %j so it stays text', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it.each(['normal', '/usr/bin/ls', '', ' =not-first', 'a=b', "'already", '\nx', 'naïve 😀'])(
    'leaves %j unchanged',
    (value) => {
      expect(neutraliseCell(value)).toBe(value);
    },
  );

  it('replaces characters that are illegal in XML with U+FFFD', () => {
    expect(neutraliseCell('a\u0000b\u0007c\u000Bd\u001Fe\uFFFEf\uFFFF')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFD',
    );
  });

  it('replaces lone surrogates but keeps valid pairs', () => {
    expect(neutraliseCell('x\uD800y\uDC00z\uD83D\uDE00')).toBe('x\uFFFDy\uFFFDz\uD83D\uDE00');
  });

  it('keeps TAB, LF and CR inside text', () => {
    expect(neutraliseCell('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('cleans control characters and still neutralises a formula behind them', () => {
    expect(neutraliseCell('=1\u0000')).toBe("'=1\uFFFD");
  });

  it('leaves numbers and null untouched', () => {
    expect(neutraliseCell(-2)).toBe(-2);
    expect(neutraliseCell(12.5)).toBe(12.5);
    expect(neutraliseCell(null)).toBeNull();
  });
});
