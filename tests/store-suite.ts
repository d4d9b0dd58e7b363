import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { getRun, getRunExecutables, getRunProcesses, insertRun, listRuns, upsertHost } from '@/db/queries/runs';
import { runs, vtVerdicts } from '@/db/schema';
import { buildIocCsv, buildIocTxt, iocsFromRun } from '@/server/services/artifacts';
import { ingestSnapshot, loadFleetIocs, loadRunExport, recoverInterruptedRuns } from '@/server/services/runs';
import { fakeHashes, makeSnapshot } from './fixtures';

/** The same storage behaviour, asserted on PGlite and on PostgreSQL. */
export function storeSuite(handle: () => DbHandle) {
  it('stores a snapshot and reads it back as processes, executables and an export', async () => {
    const { db } = handle();
    const runId = await ingestSnapshot(db, makeSnapshot({ n: 6, distinct: 3 }), 'cli');
    const run = await getRun(db, runId);
    expect(run).toMatchObject({
      status: 'completed',
      processCount: 7,
      distinctExecutables: 3,
      hostname: 'test-host',
      source: 'cli',
    });
    const procs = await getRunProcesses(db, runId);
    expect(procs).toHaveLength(7);
    expect(procs[0]!.memoryPercent).toBeGreaterThanOrEqual(procs[1]!.memoryPercent);
    expect(procs.find((p) => p.name === 'kthreadd')).toMatchObject({
      exeStatus: 'kernel-thread',
      sha256: null,
      md5: null,
    });
    const exes = await getRunExecutables(db, runId);
    expect(exes).toHaveLength(3);
    expect(exes.reduce((s, e) => s + e.processCount, 0)).toBe(6);
    expect(exes[0]!.names.length).toBeGreaterThan(0);
    const data = await loadRunExport(db, runId);
    expect(data?.processes).toHaveLength(7);
    expect(data?.host.hostname).toBe('test-host');
    expect(data?.processes[0]?.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps effective user, package, integrity and heuristics, and lists malicious hashes per run and fleet-wide', async () => {
    const { db } = handle();
    const snap = makeSnapshot({ n: 4, distinct: 2, hostKey: 'ioc-host-a', hostname: 'ioc-a' });
    Object.assign(snap.processes[0]!, {
      effectiveUser: 'root',
      package: 'proc-tools',
      integrity: 'modified',
      heuristics: ['setuid', 'temp-dir'],
    });
    const runA = await ingestSnapshot(db, snap, 'cli');
    const runB = await ingestSnapshot(
      db,
      makeSnapshot({ n: 2, distinct: 1, hostKey: 'ioc-host-b', hostname: 'ioc-b' }),
      'cli',
    );
    const procs = await getRunProcesses(db, runA);
    expect(procs.find((p) => p.pid === 100)).toMatchObject({
      user: 'alice',
      effectiveUser: 'root',
      package: 'proc-tools',
      integrity: 'modified',
      heuristics: ['setuid', 'temp-dir'],
    });
    // An older collector sent none of the new fields.
    expect(procs.find((p) => p.pid === 101)).toMatchObject({
      effectiveUser: null,
      package: null,
      integrity: null,
      heuristics: [],
    });

    const bad = fakeHashes('exe-0').sha256;
    const meh = fakeHashes('exe-1').sha256;
    const verdict = { found: true, fetchedAt: new Date(), totalEngines: 70, stats: {}, engines: [] };
    await db
      .insert(vtVerdicts)
      .values([
        { ...verdict, sha256: bad, vtScore: 9, threatLabel: 'trojan.test' },
        { ...verdict, sha256: meh, vtScore: 1, threatLabel: null },
      ])
      .onConflictDoNothing();

    const runIocs = iocsFromRun((await loadRunExport(db, runA))!);
    expect(runIocs.map((e) => e.sha256)).toEqual([bad]);
    expect(buildIocTxt(runIocs)).toBe(`${bad}\n`);
    expect(buildIocCsv(runIocs).split('\r\n')[1]).toMatch(
      new RegExp(`^${bad},[0-9a-f]{32},[0-9a-f]{40},9,9/70,trojan.test,virustotal-malicious,1,`),
    );
    expect(iocsFromRun((await loadRunExport(db, runB))!).map((e) => e.sha256)).toEqual([bad]);

    const fleet = await loadFleetIocs(db);
    const entry = fleet.find((e) => e.sha256 === bad);
    expect(entry).toMatchObject({ vtScore: 9, totalEngines: 70, threatLabel: 'trojan.test' });
    expect(entry!.hosts).toBeGreaterThanOrEqual(2);
    expect(entry!.names).toContain('proc-0');
    expect(fleet.some((e) => e.sha256 === meh)).toBe(false);
  });

  it('shares executables between runs and lists runs newest first', async () => {
    const { db } = handle();
    const a = await ingestSnapshot(db, makeSnapshot({ n: 3, distinct: 2 }), 'cli');
    const b = await ingestSnapshot(
      db,
      { ...makeSnapshot({ n: 3, distinct: 2 }), startedAt: new Date('2026-11-24T11:00:00Z') },
      'dashboard',
    );
    const list = await listRuns(db, { limit: 10 });
    expect(list[0]!.id).toBe(b);
    expect(list.some((r) => r.id === a)).toBe(true);
  });

  it('marks runs left running by a crash as failed with a reason', async () => {
    const { db } = handle();
    const hostId = await upsertHost(db, { hostKey: 'crash-host', hostname: 'crash', platform: 'linux' });
    const runId = await insertRun(db, {
      hostId,
      source: 'dashboard',
      startedAt: new Date(),
      options: { minMemoryPercent: 0 },
      hostFacts: makeSnapshot().host,
    });
    // On a shared database only stale heartbeats count as crashed.
    expect(await recoverInterruptedRuns(db, false)).toBe(0);
    await db
      .update(runs)
      .set({ heartbeatAt: new Date(Date.now() - 3_600_000) })
      .where(eq(runs.id, runId));
    expect(await recoverInterruptedRuns(db, false)).toBeGreaterThanOrEqual(1);
    const run = await getRun(db, runId);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/Interrupted/);
  });
}
