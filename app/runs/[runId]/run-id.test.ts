import { describe, expect, it } from 'vitest';
import { parseRunIdParam } from './run-id';

describe('parseRunIdParam', () => {
  it('accepts positive whole numbers', () => {
    expect(parseRunIdParam('1')).toBe(1);
    expect(parseRunIdParam('2147483647')).toBe(2_147_483_647);
  });

  it('rejects everything else', () => {
    for (const raw of ['0', '-1', '01', '1.5', '1e3', 'abc', '', ' 1', '2147483648', '99999999999']) {
      expect(parseRunIdParam(raw), raw).toBeNull();
    }
  });
});
