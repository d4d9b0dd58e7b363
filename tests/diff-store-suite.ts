import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { insertRun, upsertHost } from '@/db/queries/runs';
import { runs, vtVerdicts } from '@/db/schema';
import { buildDiffCsv, buildDiffTxt, DIFF_CSV_HEADER } from '@/server/services/artifacts';
import { loadRunDiff, pinBaseline, RunDiffError, unpinBaseline } from '@/server/services/diff';
import { ingestSnapshot } from '@/server/services/runs';
import { parseCsv } from './csv';
import { fakeHashes, makeSnapshot } from './fixtures';

/**
 * Two snapshots of one host: the second has a changed binary at the same path, a new executable in
 * /tmp (with badges, run by a hostile-named process) and one executable fewer.
 */
export function diffSnapshots(hostKey: string) {
  /** Hashes unique to this host's test, so other tests' VirusTotal rows do not meet them. */
  const hashOf = (content: string) => fakeHashes(`${hostKey}:${content}`);
  const make = (day: number) => {
    const snap = makeSnapshot({ n: 6, distinct: 3, hostKey, hostname: `${hostKey}-name` });
    snap.startedAt = new Date(`2026-11-${day}T10:00:00Z`);
    for (const p of snap.processes) if (p.exe) p.hashes = hashOf(p.exe);
    return snap;
  };
  const first = make(20);
  const second = make(21);
  for (const p of second.processes) {
    // /usr/bin/proc-2 is gone: its processes (pids 102, 105) now run proc-0.
    if (p.exe === '/usr/bin/proc-2') {
      p.exe = '/usr/bin/proc-0';
      p.hashes = hashOf('/usr/bin/proc-0');
    }
    // /usr/bin/proc-1 was replaced by other bytes.
    if (p.exe === '/usr/bin/proc-1') p.hashes = hashOf('patched');
  }
  second.processes.push({
    ...second.processes[0]!,
    pid: 4242,
    name: '=1+1',
    user: 'alice',
    effectiveUser: 'root',
    exe: '/tmp/.x/miner',
    cmdline: '/tmp/.x/miner',
    hashes: hashOf('miner'),
    integrity: 'not-packaged',
    heuristics: ['temp-dir', 'setuid'],
  });
  return { first, second, hashOf, make };
}

/** The run diff on a real database (PGlite and PostgreSQL run the same assertions). */
export function diffStoreSuite(handle: () => DbHandle) {
  it('diff: new, gone and changed against the previous run, with VirusTotal on each hash and the processes', async () => {
    const { db } = handle();
    const { first, second, hashOf } = diffSnapshots('diff-host-a');
    const runA = await ingestSnapshot(db, first, 'cli');
    const runB = await ingestSnapshot(db, second, 'cli');
    const verdict = { found: true, fetchedAt: new Date(), totalEngines: 70, stats: {}, engines: [] };
    await db.insert(vtVerdicts).values([
      { ...verdict, sha256: hashOf('patched').sha256, vtScore: 12, threatLabel: 'trojan.patched' },
      { ...verdict, sha256: hashOf('/usr/bin/proc-1').sha256, vtScore: 0, threatLabel: null },
    ]);

    const d = await loadRunDiff(db, runB, 'previous');
    expect(d.other?.id).toBe(runA);
    expect(d.sameHost).toBe(true);
    expect(d.empty).toBeNull();
    expect(d.counts).toEqual({ new: 1, gone: 1, changed: 1, unchanged: 1 });
    const byKind = Object.fromEntries(d.entries.map((e) => [e.kind, e]));
    expect(byKind.changed).toMatchObject({
      path: '/usr/bin/proc-1',
      oldSha256: hashOf('/usr/bin/proc-1').sha256,
      newSha256: hashOf('patched').sha256,
      oldVt: { state: 'checked', vtScore: 0, verdict: 'not-malicious' },
      newVt: { state: 'checked', vtScore: 12, verdict: 'malicious', threatLabel: 'trojan.patched' },
    });
    expect(byKind.changed!.processes.map((p) => p.pid)).toEqual([101, 104]);
    expect(byKind.new).toMatchObject({
      path: '/tmp/.x/miner',
      newSha256: hashOf('miner').sha256,
      newVt: null,
      heuristics: ['temp-dir', 'setuid'],
      integrity: 'not-packaged',
      processes: [{ pid: 4242, name: '=1+1', user: 'alice', effectiveUser: 'root' }],
    });
    expect(byKind.gone).toMatchObject({ path: '/usr/bin/proc-2', oldSha256: hashOf('/usr/bin/proc-2').sha256 });
    expect(byKind.gone!.processes.map((p) => p.pid)).toEqual([102, 105]);

    // The first run of the host has nothing before it.
    expect(await loadRunDiff(db, runA, 'previous')).toMatchObject({ empty: 'no-previous', other: null, entries: [] });
    // Against itself by id: a sentence.
    await expect(loadRunDiff(db, runA, runA)).rejects.toThrow(/cannot be compared with itself/);

    // CSV: header, one row per difference, formula-looking names with the apostrophe.
    const csv = parseCsv(buildDiffCsv(d));
    expect(csv[0]).toEqual([...DIFF_CSV_HEADER]);
    expect(csv).toHaveLength(4);
    const col = (name: (typeof DIFF_CSV_HEADER)[number]) => DIFF_CSV_HEADER.indexOf(name);
    const newRow = csv.find((r) => r[col('Change')] === 'New')!;
    expect(newRow[col('Process names')]).toBe("'=1+1");
    expect(newRow[col('Users')]).toBe('alice (effective root)');
    expect(newRow[col('Heuristics')]).toBe('runs from /tmp; setuid');
    expect(newRow[col('Verdict')]).toBe('Not checked');
    const changedRow = csv.find((r) => r[col('Change')] === 'Changed hash')!;
    expect(changedRow[col('VTScore')]).toBe('12');
    expect(changedRow[col('Previous verdict')]).toBe('Not malicious');
    expect(changedRow[col('Compared with run')]).toBe(String(runA));
    const txt = buildDiffTxt(d);
    expect(txt).toContain('New: 1  Gone: 1  Changed: 1  Unchanged: 1');
    expect(txt).toContain('/tmp/.x/miner');
  });

  it('diff: a pinned baseline, a run of another host only by id, identical runs, unfinished runs refused', async () => {
    const { db } = handle();
    const { first, second, make } = diffSnapshots('diff-host-b');
    const runA = await ingestSnapshot(db, first, 'cli');
    const runB = await ingestSnapshot(db, second, 'cli');
    const third = structuredClone(second);
    third.startedAt = new Date('2026-11-22T10:00:00Z');
    const runC = await ingestSnapshot(db, third, 'cli');

    expect(await loadRunDiff(db, runC, 'baseline')).toMatchObject({ empty: 'no-baseline', baseline: null });
    const pinned = await pinBaseline(db, runA, 'analyst@example.org');
    expect(pinned).toMatchObject({ runId: runA, pinnedBy: 'analyst@example.org' });
    const vsBaseline = await loadRunDiff(db, runC, 'baseline');
    expect(vsBaseline.other?.id).toBe(runA);
    expect(vsBaseline.counts).toEqual({ new: 1, gone: 1, changed: 1, unchanged: 1 });
    expect(await loadRunDiff(db, runA, 'baseline')).toMatchObject({ empty: 'is-baseline' });
    // C against its previous run (B): identical.
    const same = await loadRunDiff(db, runC, 'previous');
    expect(same.other?.id).toBe(runB);
    expect(same.entries).toEqual([]);
    expect(same.counts.unchanged).toBe(3);
    expect(buildDiffTxt(same)).toContain('Identical');
    expect(await unpinBaseline(db, { hostId: same.run.hostId })).toBe(true);
    expect(await loadRunDiff(db, runC, 'baseline')).toMatchObject({ empty: 'no-baseline' });

    // Another host's run, chosen by id: allowed, and said so.
    const elsewhere = await ingestSnapshot(db, makeSnapshot({ hostKey: 'diff-host-c', hostname: 'other' }), 'cli');
    const cross = await loadRunDiff(db, runC, elsewhere);
    expect(cross.sameHost).toBe(false);
    expect(cross.other?.hostname).toBe('other');

    // A run still collecting, a failed one, a missing one: sentences.
    const hostId = await upsertHost(db, { hostKey: 'diff-host-b', hostname: 'diff-host-b-name', platform: 'linux' });
    const { hostKey: _k, ...facts } = first.host;
    const running = await insertRun(db, {
      hostId,
      source: 'agent',
      startedAt: new Date('2026-11-23T10:00:00Z'),
      options: { minMemoryPercent: 0 },
      hostFacts: facts,
    });
    await expect(loadRunDiff(db, running, 'previous')).rejects.toThrow(/has not completed \(running\)/);
    await expect(loadRunDiff(db, runC, running)).rejects.toThrow(/choose a completed run/);
    await expect(pinBaseline(db, running, null)).rejects.toBeInstanceOf(RunDiffError);
    await db.update(runs).set({ status: 'failed' }).where(eq(runs.id, running));
    // A failed run is skipped as "previous".
    const afterFailed = make(24);
    const runD = await ingestSnapshot(db, afterFailed, 'cli');
    expect((await loadRunDiff(db, runD, 'previous')).other?.id).toBe(runC);
    await expect(loadRunDiff(db, 999_999, 'previous')).rejects.toThrow('Run 999999 does not exist.');
  });
}
