import { describe, expect, it } from 'vitest';
import {
  lookupReason,
  notQueuedText,
  planSentence,
  planWarning,
  shareExplanation,
  type PlanFacts,
} from './check-plan-text';

const base: PlanFacts = {
  total: 13,
  cached: 4,
  toLookUp: 9,
  queuedAhead: 0,
  perMinute: 4,
  leftToday: 480,
  etaMs: 8 * 15_150,
  crossesDailyLimit: false,
  waitingForTomorrow: 0,
};

describe('planSentence', () => {
  it('says N hashes, M cached, K to look up, the time at the key rate and the quota left', () => {
    expect(planSentence(base)).toBe(
      "13 hashes, 4 cached, 9 to look up ≈ 2 min 2 s at your key's rate (4/min), 480 of today's quota left",
    );
  });
  it('says when nothing needs a request, and when other lookups go first', () => {
    expect(planSentence({ ...base, cached: 13, toLookUp: 0, etaMs: 0 })).toBe(
      "13 hashes, 13 cached, 0 to look up (no request needed), 480 of today's quota left",
    );
    expect(planSentence({ ...base, queuedAhead: 1 })).toContain('after 1 lookup already queued');
  });
});

describe('planWarning', () => {
  it('warns only when the check crosses the daily limit', () => {
    expect(planWarning(base)).toBeNull();
    expect(planWarning({ ...base, crossesDailyLimit: true, waitingForTomorrow: 6 })).toBe(
      'This check crosses the daily limit: 6 lookups wait for the quota to reset at 00:00 UTC.',
    );
  });
});

describe('lookupReason', () => {
  const label = (c: string) => (c === 'temp-dir' ? 'runs from /tmp' : c);
  it('names integrity, badges and host count, and the position class', () => {
    expect(lookupReason({ tier: 0, hosts: 1, integrity: ['not-packaged'], heuristics: ['temp-dir'] }, label)).toEqual({
      when: 'first',
      why: 'not packaged · runs from /tmp · 1 host',
    });
    expect(lookupReason({ tier: 0, hosts: 3, integrity: ['modified', 'matches'], heuristics: [] }, label).why).toBe(
      'differs from its package · 3 hosts',
    );
    expect(lookupReason({ tier: 3, hosts: 12, integrity: ['matches'], heuristics: [] }, label)).toEqual({
      when: 'last',
      why: "matches its package's checksum · 12 hosts",
    });
    expect(lookupReason({ tier: 2, hosts: 1, integrity: ['unknown'], heuristics: [] }, label).why).toBe(
      'package not checked · 1 host',
    );
  });
});

describe('planSentence with skipped executables', () => {
  it('says how many the skip setting leaves out', () => {
    expect(planSentence({ ...base, skipped: 3 })).toContain(
      '13 hashes, 4 cached, 3 skipped (package-verified), 9 to look up',
    );
  });
});

describe('the host share', () => {
  it('says how many were not queued and why, in the words the issue names', () => {
    expect(notQueuedText(9800)).toBe('9,800 not queued: host over its share');
    expect(notQueuedText(1)).toBe('1 not queued: host over its share');
    expect(shareExplanation(200)).toMatch(
      /^An agent's snapshots may queue 200 new hashes per host a day \(INGEST_VT_NEW_PER_HOST_DAY\)/,
    );
    expect(shareExplanation(1)).toContain('1 new hash per host');
    expect(planSentence({ ...base, held: 5 })).toBe(
      "13 hashes, 4 cached, 9 to look up (5 not queued: host over its share) ≈ 2 min 2 s at your key's rate (4/min), 480 of today's quota left",
    );
  });
});
