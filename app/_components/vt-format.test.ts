import { describe, expect, it } from 'vitest';
import type { RowVt, VtEngineRow } from '@/app/_trpc/types';
import { formatDuration } from './format';
import {
  checkSummaryText,
  detectionsText,
  formatEta,
  nextRequestText,
  progressText,
  quotaText,
  sortEngines,
  verdictSortValue,
  vtDisplayState,
  vtScoreOf,
} from './vt-format';

const checked = (
  vtScore: number | null,
  totalEngines: number | null = 72,
  threatLabel: string | null = null,
): RowVt => ({
  state: 'checked',
  vtScore,
  verdict:
    vtScore === null ? 'not-found' : vtScore >= 2 ? 'malicious' : vtScore >= 1 ? 'needs-research' : 'not-malicious',
  totalEngines,
  threatLabel,
});

describe('row states', () => {
  it('names every state, and nothing for a hash never checked', () => {
    expect(vtDisplayState(null)).toBeNull();
    expect(vtDisplayState(checked(7))).toBe('malicious');
    expect(vtDisplayState(checked(null))).toBe('not-found');
    expect(vtDisplayState({ state: 'pending', reason: null })).toBe('pending');
    expect(vtDisplayState({ state: 'failed', reason: 'timeout' })).toBe('failed');
    expect(vtDisplayState({ state: 'not-hashed', reason: 'kernel-thread' })).toBe('not-hashed');
  });

  it('has a VTScore and detections only when VirusTotal knows the file', () => {
    expect(vtScoreOf(checked(7))).toBe(7);
    expect(vtScoreOf(checked(0))).toBe(0);
    expect(vtScoreOf(checked(null))).toBeUndefined();
    expect(vtScoreOf({ state: 'pending', reason: null })).toBeUndefined();
    expect(vtScoreOf(null)).toBeUndefined();
    expect(detectionsText(checked(7, 72))).toBe('7/72');
    expect(detectionsText(checked(3, null))).toBe('3');
    expect(detectionsText(checked(null))).toBeNull();
  });

  it('orders verdicts by urgency, then VTScore; never-checked rows have no key (sorted last)', () => {
    const order = [
      checked(40),
      checked(7),
      checked(1),
      { state: 'failed', reason: 'x' },
      { state: 'pending', reason: null },
      checked(0),
      checked(null),
      { state: 'not-hashed', reason: 'kernel-thread' },
    ] as RowVt[];
    const keys = order.map(verdictSortValue);
    expect([...keys].sort((a, b) => b! - a!)).toEqual(keys);
    expect(verdictSortValue(null)).toBeUndefined();
  });
});

describe('engines', () => {
  const e = (engine: string, category: string): VtEngineRow => ({
    engine,
    category,
    result: null,
    engineVersion: null,
    engineUpdate: null,
    method: null,
  });
  it('lists the engines that flag the file first', () => {
    const sorted = sortEngines([
      e('Zeta', 'undetected'),
      e('beta', 'malicious'),
      e('Alpha', 'harmless'),
      e('Gamma', 'suspicious'),
      e('alpha2', 'malicious'),
    ]);
    expect(sorted.map((x) => x.engine)).toEqual(['alpha2', 'beta', 'Gamma', 'Alpha', 'Zeta']);
  });
});

describe('wording', () => {
  it('says durations as people do', () => {
    expect(formatDuration(9_000)).toBe('9 s');
    expect(formatDuration(8_200)).toBe('9 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(25 * 60_000)).toBe('25 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(27 * 3_600_000)).toBe('1 d 3 h');
    // Measured durations (a run's) keep their precision under a minute.
    expect(formatDuration(350, { precise: true })).toBe('350 ms');
    expect(formatDuration(4_240, { precise: true })).toBe('4.2 s');
    expect(formatDuration(200_000, { precise: true })).toBe('3 min 20 s');
    expect(formatDuration(null, { precise: true })).toBe('—');
    expect(formatEta(null)).toBeNull();
    expect(formatEta(1_000)).toBe('a few seconds');
    expect(formatEta(90_000)).toBe('about 1 min 30 s');
  });

  it('counts down to the next request', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(nextRequestText(new Date(now + 9_000), now)).toBe('next request in 9 s');
    expect(nextRequestText(new Date(now - 1), now)).toBe('next request: now');
    expect(nextRequestText(null, now)).toBe('next request: now');
  });

  it('writes the contract texts', () => {
    expect(quotaText(12, 500)).toBe('12 / 500 requests today');
    expect(progressText(3, 7)).toBe('3 of 7 hashes checked');
    expect(checkSummaryText({ total: 7, checked: 7, check: { requestsMade: 3, uncachedAtStart: 3 } })).toBe(
      '7 of 7 hashes checked · 3 requests · 4 from cache',
    );
    expect(checkSummaryText({ total: 2, checked: 2, check: { requestsMade: 1, uncachedAtStart: 1 } })).toBe(
      '2 of 2 hashes checked · 1 request · 1 from cache',
    );
  });
});
