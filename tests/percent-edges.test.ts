import { describe, expect, it } from 'vitest';
import { isPercent, percentNumber, PERCENT_MAX } from '@/domain/limits';
import { minMemoryPercentInput } from '@/server/api/inputs';
import { flag } from '@/server/cli/spec';
import { boundedNumber } from '@/server/services/imports/fields';

/**
 * One rule for a percentage (domain/percent.ts) at every edge that takes one: the collect procedure,
 * `--min-memory`, an agent's snapshot and an imported workbook accept and refuse the same values, each
 * with its own sentence. (The dashboard's form calls isPercent itself; e2e/collect.spec.ts covers it.)
 */
const CASES: Array<[number, boolean]> = [
  [0, true],
  [0.5, true],
  [42, true],
  [PERCENT_MAX, true],
  [-0.001, false],
  [-1, false],
  [PERCENT_MAX + 0.001, false],
  [1e9, false],
  [Number.NaN, false],
  [Number.POSITIVE_INFINITY, false],
];

/** `--min-memory`, as the CLI's declarations read it. */
const percentFlag = (raw: string, name: string) => flag.percent('').read(raw, name);

const accepts = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe('a percentage, at every edge', () => {
  it.each(CASES)('%d: accepted = %s everywhere', (n, ok) => {
    expect(isPercent(n)).toBe(ok);
    expect(percentNumber.safeParse(n).success, 'snapshot').toBe(ok);
    expect(minMemoryPercentInput.safeParse(n).success, 'collect procedure').toBe(ok);
    expect(
      accepts(() => percentFlag(String(n), 'min-memory')),
      '--min-memory',
    ).toBe(ok);
    expect(
      accepts(() => boundedNumber(n, PERCENT_MAX, 'Row 2', 'Memory %')),
      'import',
    ).toBe(ok);
  });

  it('each edge keeps its own sentence', () => {
    expect(minMemoryPercentInput.safeParse(101).error?.issues[0]?.message).toBe(
      'Minimum memory % must be between 0 and 100',
    );
    expect(minMemoryPercentInput.safeParse('5').error?.issues[0]?.message).toBe('Minimum memory % must be a number');
    expect(() => percentFlag('101', 'min-memory')).toThrow('--min-memory must be a number from 0 to 100.');
    expect(() => boundedNumber(101, PERCENT_MAX, 'Row 2', 'Memory %')).toThrow(
      'Row 2: Memory % must be a number from 0 to 100. Nothing was imported.',
    );
  });
});
