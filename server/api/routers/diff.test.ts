import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { ingestSnapshot } from '@/server/services/runs';
import { callerFor, rejection } from '@/tests/caller';
import { diffSnapshots } from '@/tests/diff-store-suite';
import { setUpRouterDb } from '@/tests/router-db';

/** The diff procedures through the server caller: happy paths, the baseline, and every error sentence. */
describe('diff router', () => {
  let handle: DbHandle;
  let runA: number;
  let runB: number;
  const api = () => callerFor();
  const routerDb = setUpRouterDb();

  beforeAll(async () => {
    handle = routerDb();
    const { first, second } = diffSnapshots('router-host');
    runA = await ingestSnapshot(handle.db, first, 'cli');
    runB = await ingestSnapshot(handle.db, second, 'cli');
  });

  it('compare: against the previous run by default, or a run by id', async () => {
    const d = await api().diff.compare({ runId: runB });
    expect(d.against).toBe('previous');
    expect(d.other?.id).toBe(runA);
    expect(d.counts).toEqual({ new: 1, gone: 1, changed: 1, unchanged: 1 });
    expect((await api().diff.compare({ runId: runA, against: runB })).counts).toEqual({
      new: 1,
      gone: 1,
      changed: 1,
      unchanged: 1,
    });
    expect(await api().diff.compare({ runId: runA })).toMatchObject({ empty: 'no-previous', other: null });
  });

  it('compare: sentences for a bad against, a missing run, the run itself', async () => {
    expect(await rejection(api().diff.compare({ runId: runB, against: 'latest' as never }), 'BAD_REQUEST')).toMatch(
      /against must be "previous", "baseline" or a run id/,
    );
    expect(await rejection(api().diff.compare({ runId: 999_999 }), 'NOT_FOUND')).toBe('Run 999999 does not exist.');
    expect(await rejection(api().diff.compare({ runId: runB, against: 999_999 }), 'NOT_FOUND')).toBe(
      'Run 999999 does not exist.',
    );
    expect(await rejection(api().diff.compare({ runId: runB, against: runB }), 'BAD_REQUEST')).toMatch(
      /cannot be compared with itself/,
    );
  });

  it('pinBaseline / unpinBaseline: the host baseline, who pinned it, and the picker flags it', async () => {
    const pinned = await api().diff.pinBaseline({ runId: runA });
    // Who pinned it reads as in triage (it was the bare word 'local' before actorOf).
    expect(pinned).toMatchObject({ runId: runA, pinnedBy: `local user ${os.userInfo().username}` });
    const d = await api().diff.compare({ runId: runB, against: 'baseline' });
    expect(d.other?.id).toBe(runA);
    expect(d.baseline?.runId).toBe(runA);
    const picker = await api().diff.candidates({ runId: runB });
    expect(picker.map((r) => [r.id, r.isBaseline])).toEqual([
      [runB, false],
      [runA, true],
    ]);
    expect(await api().diff.unpinBaseline({ runId: runB })).toEqual({ unpinned: true });
    expect(await api().diff.unpinBaseline({ runId: runB })).toEqual({ unpinned: false });
    expect((await api().diff.compare({ runId: runB, against: 'baseline' })).empty).toBe('no-baseline');
  });
});
