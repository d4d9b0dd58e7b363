import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { getRun, getRunExecutables, getRunProcesses, insertRun, listRuns, upsertHost } from '@/db/queries/runs';
import { triageFor, triageForRun, triageHistory, writeTriage } from '@/db/queries/triage';
import { runProcesses, runs, vtVerdicts } from '@/db/schema';
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

  it('stores every process field as given: row order, times, numbers, JSON and unusual text', async () => {
    const { db } = handle();
    const snap = makeSnapshot({ n: 4, distinct: 2, hostKey: 'rows-host', hostname: 'rows' });
    const names = [`quote ' " back\\slash $1`, 'tab\tnew\nline', 'ünï 🚀 名前', 'lone \ud800 surrogate'];
    snap.processes.forEach((p, i) => {
      if (names[i] !== undefined) p.name = names[i];
    });
    Object.assign(snap.processes[0]!, {
      startedAt: new Date('2026-11-24T09:59:58.123Z'),
      rssBytes: 2 ** 40 + 7,
      memoryPercent: 12.345678901234567,
      cpuPercent: Number.NaN,
      cmdline: '',
      effectiveUser: 'root',
      package: 'proc-tools',
      integrity: 'verified',
      heuristics: ['setuid', 'temp-dir'],
    });
    Object.assign(snap.processes[1]!, { cpuPercent: 1e-12, exeError: 'deleted; gone', effectiveUser: null });
    const runId = await ingestSnapshot(db, snap, 'cli');
    const stored = await db.select().from(runProcesses).where(eq(runProcesses.runId, runId)).orderBy(runProcesses.id);
    // Ids follow the snapshot's order (the run page breaks ties by row).
    expect(stored.map((r) => r.pid)).toEqual(snap.processes.map((p) => p.pid));
    expect(stored.map((r) => r.name)).toEqual([...names.slice(0, 3), 'lone \ufffd surrogate', 'kthreadd']);
    expect(stored[0]).toMatchObject({
      processStartedAt: new Date('2026-11-24T09:59:58.123Z'),
      rssBytes: 2 ** 40 + 7,
      memoryPercent: 12.345678901234567,
      cmdline: '',
      exePath: '/usr/bin/proc-0',
      exeStatus: 'ok',
      exeError: null,
      sha256: fakeHashes('exe-0').sha256,
      effectiveUser: 'root',
      package: 'proc-tools',
      integrity: 'verified',
      heuristics: ['setuid', 'temp-dir'],
      unresolvedMd5: null,
    });
    expect(stored[0]!.cpuPercent).toBeNaN();
    expect(stored[1]).toMatchObject({ cpuPercent: 1e-12, exeError: 'deleted; gone', effectiveUser: null });
    expect(stored[4]).toMatchObject({
      name: 'kthreadd',
      processStartedAt: null,
      exePath: null,
      sha256: null,
      package: null,
      integrity: null,
      heuristics: [],
    });
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

  it('keeps a triage decision per hash across runs and hosts, with a history, and applies it to the IOC lists', async () => {
    const { db } = handle();
    const h = (seed: string) => fakeHashes(`triage-${seed}`);
    const snapA = makeSnapshot({ n: 4, distinct: 4, hostKey: 'triage-host-a', hostname: 'tri-a' });
    ['bad', 'fp', 'low', 'unknown'].forEach((seed, i) => (snapA.processes[i]!.hashes = h(seed)));
    const snapB = makeSnapshot({ n: 2, distinct: 2, hostKey: 'triage-host-b', hostname: 'tri-b' });
    ['low', 'bad'].forEach((seed, i) => (snapB.processes[i]!.hashes = h(seed)));
    const runA = await ingestSnapshot(db, snapA, 'cli');
    const runB = await ingestSnapshot(db, snapB, 'cli');
    const verdict = { found: true, fetchedAt: new Date(), totalEngines: 70, stats: {}, engines: [] };
    await db.insert(vtVerdicts).values([
      { ...verdict, sha256: h('bad').sha256, vtScore: 9, threatLabel: 'trojan.bad' },
      { ...verdict, sha256: h('fp').sha256, vtScore: 8, threatLabel: 'heur.fp' },
      { ...verdict, sha256: h('low').sha256, vtScore: 1, threatLabel: null },
    ]);

    const who = { decidedBy: 'Ann <ann@example.org>', decidedById: 'u-ann' };
    const fp = await writeTriage(db, {
      sha256: h('fp').sha256,
      decision: 'false-positive',
      note: 'signed in-house tool',
      ...who,
    });
    expect(fp).toMatchObject({ ok: true, state: { decision: 'false-positive', decidedBy: who.decidedBy } });
    const low = await writeTriage(db, {
      sha256: h('low').sha256,
      decision: 'malicious',
      note: '  <b>dropper</b>\nline 2 ',
      ...who,
    });
    expect(low.ok).toBe(true);
    await writeTriage(db, { sha256: h('unknown').sha256, decision: 'malicious', note: '', ...who });

    // The decision follows the hash into the other host's run; the note is kept exactly.
    const inB = await triageForRun(db, runB);
    expect(inB.map((t) => t.sha256)).toEqual([h('low').sha256]);
    expect(inB[0]).toMatchObject({
      decision: 'malicious',
      note: '  <b>dropper</b>\nline 2 ',
      decidedBy: who.decidedBy,
    });
    expect(inB[0]!.decidedAt).toBeInstanceOf(Date);

    // VirusTotal's answer is untouched by triage.
    const [fpVerdict] = await db
      .select()
      .from(vtVerdicts)
      .where(eq(vtVerdicts.sha256, h('fp').sha256));
    expect(fpVerdict).toMatchObject({ vtScore: 8, threatLabel: 'heur.fp', found: true });

    // IOC lists: confirmed malicious in (even at VTScore 1, or unknown to VirusTotal); false positive out.
    const runIocs = iocsFromRun((await loadRunExport(db, runA))!);
    expect(runIocs.map((e) => [e.sha256, e.reason, e.vtScore])).toEqual([
      [h('bad').sha256, 'virustotal-malicious', 9],
      [h('low').sha256, 'confirmed-malicious', 1],
      [h('unknown').sha256, 'confirmed-malicious', null],
    ]);
    const csv = buildIocCsv(runIocs).split('\r\n');
    expect(csv[0]).toMatch(/,VT link,Triage$/);
    expect(csv[1]).toMatch(/,trojan\.bad,virustotal-malicious,1,.*,https:\/\/[^,]+,$/);
    expect(csv[2]).toMatch(
      new RegExp(`^${h('low').sha256},[0-9a-f]{32},[0-9a-f]{40},1,1/70,,confirmed-malicious,1,.*,Confirmed malicious$`),
    );
    expect(csv[3]).toMatch(new RegExp(`^${h('unknown').sha256},[0-9a-f]{32},[0-9a-f]{40},,,,confirmed-malicious,`));
    const fleet = await loadFleetIocs(db);
    const fleetOf = (seed: string) => fleet.find((e) => e.sha256 === h(seed).sha256);
    expect(fleetOf('bad')).toMatchObject({ reason: 'virustotal-malicious', triage: null, hosts: 2 });
    expect(fleetOf('low')).toMatchObject({ reason: 'confirmed-malicious', triage: 'malicious', vtScore: 1, hosts: 2 });
    expect(fleetOf('unknown')).toMatchObject({ reason: 'confirmed-malicious', vtScore: null, hosts: 1 });
    expect(fleetOf('fp')).toBeUndefined();

    // A change based on an older state is refused with what is current now; a fresh one is logged.
    const stale = await writeTriage(db, {
      sha256: h('low').sha256,
      decision: 'benign',
      note: '',
      basedOn: null,
      ...who,
    });
    expect(stale).toMatchObject({ ok: false, reason: 'stale', current: { decision: 'malicious' } });
    const lowState = (await triageFor(db, [h('low').sha256]))[0]!;
    const changed = await writeTriage(db, {
      sha256: h('low').sha256,
      decision: 'benign',
      note: 'vendor updater',
      basedOn: lowState.logId,
      decidedBy: 'local user bob',
      decidedById: null,
    });
    expect(changed).toMatchObject({ ok: true, state: { decision: 'benign', decidedBy: 'local user bob' } });
    expect(iocsFromRun((await loadRunExport(db, runB))!).map((e) => e.sha256)).toEqual([h('bad').sha256]);

    // Clearing keeps the history; clearing again logs nothing; an unknown hash is refused.
    expect(await writeTriage(db, { sha256: h('low').sha256, decision: null, note: '', ...who })).toEqual({
      ok: true,
      state: null,
    });
    expect(await writeTriage(db, { sha256: h('low').sha256, decision: null, note: '', ...who })).toEqual({
      ok: true,
      state: null,
    });
    expect(await triageFor(db, [h('low').sha256])).toEqual([]);
    const history = await triageHistory(db, h('low').sha256);
    expect(history.map((e) => [e.decision, e.decidedBy])).toEqual([
      [null, who.decidedBy],
      ['benign', 'local user bob'],
      ['malicious', who.decidedBy],
    ]);
    expect(await writeTriage(db, { sha256: 'f'.repeat(64), decision: 'benign', note: '', ...who })).toEqual({
      ok: false,
      reason: 'unknown-hash',
    });
  });
}
