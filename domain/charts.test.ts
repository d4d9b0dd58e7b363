import { describe, expect, it } from 'vitest';
import { fillDays, runChartData, type ChartProcess } from './charts';
import type { HashVtState } from './verdict';

const checked = (vtScore: number | null, threshold = 2): HashVtState => ({
  state: 'checked',
  vtScore,
  verdict:
    vtScore === null
      ? 'not-found'
      : vtScore >= threshold
        ? 'malicious'
        : vtScore >= 1
          ? 'needs-research'
          : 'not-malicious',
  totalEngines: vtScore === null ? null : 70,
  threatLabel: null,
});

let pid = 100;
const proc = (sha256: string | null, vt: HashVtState | null, rssBytes: number | null = 1000): ChartProcess => ({
  pid: pid++,
  name: `p-${sha256 ?? 'none'}`,
  sha256,
  rssBytes,
  vt,
});

describe('run chart data', () => {
  it('counts each executable once, by VTScore bucket and by verdict', () => {
    const rows = [
      proc('a', checked(0)),
      proc('a', checked(0)), // a second process of the same executable
      proc('b', checked(1)),
      proc('c', checked(3)),
      proc('d', checked(4)),
      proc('e', checked(45)),
      proc('f', checked(null)),
      proc('g', { state: 'pending', reason: null }),
      proc('h', { state: 'failed', reason: 'HTTP 500' }),
      proc('i', null),
      proc(null, { state: 'not-hashed', reason: 'kernel-thread' }),
    ];
    const data = runChartData(rows);
    expect(data.scores).toEqual([
      { label: '0', executables: 1, worst: 'not-malicious' },
      { label: '1', executables: 1, worst: 'needs-research' },
      { label: '2–4', executables: 2, worst: 'malicious' },
      { label: '5–9', executables: 0, worst: null },
      { label: '10–19', executables: 0, worst: null },
      { label: '20+', executables: 1, worst: 'malicious' },
    ]);
    expect(data.scored).toBe(5);
    // With a threshold of 4 (the server decides), the 2–4 bucket holds research and malicious: malicious wins.
    const mixed = runChartData([proc('x', checked(3, 4)), proc('y', checked(4, 4))]);
    expect(mixed.scores[2]).toEqual({ label: '2–4', executables: 2, worst: 'malicious' });
    expect(data.verdicts.map((v) => [v.label, v.executables])).toEqual([
      ['Malicious', 3],
      ['Needs research', 1],
      ['Not malicious', 1],
      ['Not found', 1],
      ['Pending', 1],
      ['Failed', 1],
      ['Not checked yet', 1],
    ]);
  });

  it('has no score before a check and drops zero verdicts', () => {
    const data = runChartData([proc('a', null), proc('b', null)]);
    expect(data.scored).toBe(0);
    expect(data.scores.every((b) => b.executables === 0)).toBe(true);
    expect(data.verdicts).toEqual([{ verdict: 'unchecked', label: 'Not checked yet', executables: 2 }]);
  });

  it('lists the top memory users largest first, one bar per process, without zero or unknown memory', () => {
    const rows = [
      { pid: 3, name: 'small', sha256: 'x', rssBytes: 10, vt: null },
      { pid: 2, name: 'big', sha256: 'x', rssBytes: 500, vt: null },
      { pid: 1, name: 'big', sha256: 'x', rssBytes: 500, vt: null },
      { pid: 4, name: 'kthreadd', sha256: null, rssBytes: 0, vt: null },
      { pid: 5, name: 'gone', sha256: null, rssBytes: null, vt: null },
    ];
    const data = runChartData(rows, 2);
    expect(data.topMemory).toEqual([
      { label: 'big (1)', name: 'big', pid: 1, rssBytes: 500 },
      { label: 'big (2)', name: 'big', pid: 2, rssBytes: 500 },
    ]);
    expect(runChartData(rows).topMemory.map((m) => m.pid)).toEqual([1, 2, 3]);
  });
});

describe('new vs known days', () => {
  it('fills the days without a run with zeros and drops rows outside the range', () => {
    const rows = [
      { day: '2026-02-27', new: 9, known: 9 },
      { day: '2026-02-28', new: 3, known: 1 },
      { day: '2026-03-02', new: 0, known: 4 },
    ];
    expect(fillDays(rows, '2026-02-28', '2026-03-03')).toEqual([
      { day: '2026-02-28', new: 3, known: 1 },
      { day: '2026-03-01', new: 0, known: 0 },
      { day: '2026-03-02', new: 0, known: 4 },
      { day: '2026-03-03', new: 0, known: 0 },
    ]);
    expect(fillDays([], '2026-03-01', '2026-03-01')).toEqual([{ day: '2026-03-01', new: 0, known: 0 }]);
  });
});
