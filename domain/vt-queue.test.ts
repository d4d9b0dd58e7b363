import { describe, expect, it } from 'vitest';
import { LOOKUP_RANK, lookupRank, packageVerified, splitByShare, type FileFacts } from './vt-queue';

const p = (integrity: string | null, ...heuristics: string[]): FileFacts => ({ integrity, heuristics });

describe('the lookup order rules', () => {
  it('ranks modified or flagged unpackaged first, then flagged or unpackaged, distro binaries last', () => {
    expect(lookupRank([p('modified')])).toBe(LOOKUP_RANK.first);
    expect(lookupRank([p('not-packaged', 'temp-dir')])).toBe(LOOKUP_RANK.first);
    // The facts of all the run's processes of the hash count together.
    expect(lookupRank([p('not-packaged'), p('matches', 'deleted')])).toBe(LOOKUP_RANK.first);
    expect(lookupRank([p('not-packaged')])).toBe(LOOKUP_RANK.early);
    expect(lookupRank([p('matches', 'setuid')])).toBe(LOOKUP_RANK.early);
    expect(lookupRank([p(null)])).toBe(LOOKUP_RANK.normal);
    expect(lookupRank([p('matches'), p(null)])).toBe(LOOKUP_RANK.normal);
    expect(lookupRank([p('matches'), p('matches')])).toBe(LOOKUP_RANK.last);
  });

  it('package-verified is exactly the last rank: every process matches its package, none has a badge', () => {
    const mixes = [[p('matches')], [p('matches'), p(null)], [p('matches', 'setuid')], [p('modified')], [p(null)]];
    for (const m of mixes) expect(packageVerified(m)).toBe(lookupRank(m) === LOOKUP_RANK.last);
  });

  it("a host's share queues its first lookups in its own order and holds the rest", () => {
    expect(splitByShare(['a', 'b', 'c'], 2)).toEqual({ queued: ['a', 'b'], held: ['c'] });
    expect(splitByShare(['a'], -3)).toEqual({ queued: [], held: ['a'] });
  });
});
