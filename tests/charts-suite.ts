import { expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { newVsKnownByDay } from '@/db/queries/fleet';
import { ingestSnapshot } from '@/server/services/runs';
import { fakeHashes, makeSnapshot } from './fixtures';

/** A snapshot of one host on one day running the given executables (seeds of fakeHashes). */
function snapshotOn(hostKey: string, startedAt: string, seeds: string[]) {
  const snap = makeSnapshot({ n: seeds.length, distinct: seeds.length, hostKey, hostname: hostKey });
  snap.startedAt = new Date(startedAt);
  seeds.forEach((seed, i) => {
    snap.processes[i]!.hashes = fakeHashes(seed);
  });
  return snap;
}

/** The fleet chart's aggregate, asserted on PGlite and on PostgreSQL (its days are in 2021: its own). */
export function chartsSuite(handle: () => DbHandle) {
  it('counts executables per UTC day as new (first run anywhere) or known, across hosts', async () => {
    const { db } = handle();
    await ingestSnapshot(db, snapshotOn('chart-a', '2021-03-01T09:00:00Z', ['chart-a', 'chart-b']), 'cli');
    await ingestSnapshot(db, snapshotOn('chart-b', '2021-03-01T23:30:00Z', ['chart-b']), 'cli');
    // Two runs of one host on one day count an executable once that day.
    await ingestSnapshot(db, snapshotOn('chart-a', '2021-03-02T08:00:00Z', ['chart-a', 'chart-c']), 'cli');
    await ingestSnapshot(db, snapshotOn('chart-a', '2021-03-02T20:00:00Z', ['chart-c']), 'cli');
    await ingestSnapshot(db, snapshotOn('chart-b', '2021-03-04T12:00:00Z', ['chart-c', 'chart-d']), 'cli');

    const all = await newVsKnownByDay(db, {
      since: new Date('2021-03-01T00:00:00Z'),
      until: new Date('2021-03-05T00:00:00Z'),
    });
    expect(all).toEqual([
      { day: '2021-03-01', new: 2, known: 0 },
      { day: '2021-03-02', new: 1, known: 1 },
      { day: '2021-03-04', new: 1, known: 1 },
    ]);

    // A later window still knows what was seen before it; a run after `until` changes nothing.
    await ingestSnapshot(db, snapshotOn('chart-b', '2021-03-06T12:00:00Z', ['chart-e']), 'cli');
    const later = await newVsKnownByDay(db, {
      since: new Date('2021-03-02T00:00:00Z'),
      until: new Date('2021-03-05T00:00:00Z'),
    });
    expect(later).toEqual(all.slice(1));
  });
}
