import { describe, expect, it } from 'vitest';
import { MAX_RUN_ID, parseRunId } from './run-id';
import { runIdSchema } from './runs';

describe('parseRunId (URL segments, CLI flags)', () => {
  it('accepts positive whole numbers', () => {
    expect(parseRunId('1')).toBe(1);
    expect(parseRunId('2147483647')).toBe(MAX_RUN_ID);
  });

  it('rejects everything else', () => {
    for (const raw of ['0', '-1', '01', '1.5', '1e3', 'abc', '', ' 1', '2147483648', '99999999999']) {
      expect(parseRunId(raw), raw).toBeNull();
    }
  });
});

describe('runIdSchema (procedure input)', () => {
  it('accepts a run id as a number or numeric text', () => {
    expect(runIdSchema.parse(7)).toBe(7);
    expect(runIdSchema.parse('7')).toBe(7);
  });

  it('rejects what is not a run id, with a sentence', () => {
    for (const raw of [0, -3, 1.5, MAX_RUN_ID + 1, 'abc']) {
      const r = runIdSchema.safeParse(raw);
      expect(r.success, String(raw)).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/run id|number/);
    }
  });
});
