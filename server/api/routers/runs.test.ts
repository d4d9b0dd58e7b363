import { beforeAll, describe, expect, it } from 'vitest';
import { flagCounts } from '@/app/_components/tables/processes/flag-filter';
import { decodeRowTable, RowTable } from '@/domain/row-table';
import type { DbHandle } from '@/db';
import { ingestSnapshot } from '@/server/services/runs';
import { callerFor, rejection } from '@/tests/caller';
import { makeSnapshot } from '@/tests/fixtures';
import { insertRunningRun, setUpRouterDb } from '@/tests/router-db';

/** The runs procedures through the server caller: each one's happy path and its errors. */
describe('runs router', () => {
  let handle: DbHandle;
  let runId: number;
  let runningId: number;
  const api = () => callerFor();
  const routerDb = setUpRouterDb();

  beforeAll(async () => {
    handle = routerDb();
    runId = await ingestSnapshot(handle.db, makeSnapshot({ n: 5, distinct: 3 }), 'cli');
    runningId = await insertRunningRun(handle);
  });

  it('list: newest first, limited, paged with beforeId', async () => {
    const all = await api().runs.list();
    expect(all.map((r) => r.id)).toEqual([runningId, runId]);
    expect((await api().runs.list({ limit: 1 })).map((r) => r.id)).toEqual([runningId]);
    expect((await api().runs.list({ limit: 10, beforeId: runningId })).map((r) => r.id)).toEqual([runId]);
  });

  it('list: bad input is answered with a sentence naming the field', async () => {
    const message = await rejection(api().runs.list({ limit: 0 }), 'BAD_REQUEST');
    expect(message).toMatch(/^limit: /);
  });

  it('list: a NUL or an endless text in the host filter is a 400 sentence, never a database error', async () => {
    expect(await rejection(api().runs.list({ host: 'a\u0000b' }), 'BAD_REQUEST')).toBe(
      'input.host must not contain a NUL character.',
    );
    expect(await rejection(api().runs.list({ host: 'h'.repeat(257) }), 'BAD_REQUEST')).toMatch(
      /^host: must be at most 256 characters/,
    );
  });

  it('latest: the newest run, with its collection progress', async () => {
    const latest = await api().runs.latest();
    expect(latest?.id).toBe(runningId);
    expect(latest).toHaveProperty('progress', null);
  });

  it('byId: the run, with its counts and host facts', async () => {
    const run = await api().runs.byId({ runId });
    expect(run).toMatchObject({
      id: runId,
      status: 'completed',
      source: 'cli',
      processCount: 6,
      distinctExecutables: 3,
    });
    expect(run.hostFacts?.hostname).toBe('test-host');
  });

  it('byId, processes, executables: NOT_FOUND for a run that does not exist', async () => {
    for (const call of [
      api().runs.byId({ runId: 999_999 }),
      api().runs.processes({ runId: 999_999 }),
      api().runs.executables({ runId: 999_999 }),
    ]) {
      expect(await rejection(call, 'NOT_FOUND')).toBe('Run 999999 does not exist.');
    }
  });

  it('byId: a run id that is not one is a BAD_REQUEST sentence, never a lookup', async () => {
    for (const runId of [0, -1, 1.5, 2_147_483_648]) {
      const message = await rejection(api().runs.byId({ runId }), 'BAD_REQUEST');
      expect(message, String(runId)).toMatch(/^runId: run id /);
    }
  });

  it('processes: every process with its decided VirusTotal state (never the raw columns)', async () => {
    const table = await api().runs.processes({ runId });
    expect(table).toBeInstanceOf(RowTable);
    const rows = decodeRowTable(table);
    expect(rows).toHaveLength(6);
    const kernel = rows.find((r) => r.name === 'kthreadd');
    expect(kernel?.vt).toEqual({ state: 'not-hashed', reason: 'kernel-thread' });
    const hashed = rows.find((r) => r.sha256 !== null);
    expect(hashed?.vt).toBeNull(); // never submitted for a check
    expect(hashed).not.toHaveProperty('vtScore');
  });

  it('executables: one row per distinct hash, each with its VirusTotal link', async () => {
    const rows = await api().runs.executables({ runId });
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.vtLink).toBe(`https://www.virustotal.com/gui/file/${r.sha256}`);
  });

  it('collect: bad input is a sentence; a valid request starts (or joins) a collection', async () => {
    const message = await rejection(api().runs.collect({ minMemoryPercent: 150 }), 'BAD_REQUEST');
    expect(message).toBe('minMemoryPercent: Minimum memory % must be between 0 and 100');

    // 100 % keeps (almost) no process, so the real collection this starts stays short.
    const started = await api().runs.collect({ minMemoryPercent: 100 });
    expect(started.runId).toBeGreaterThan(runningId);
    const deadline = Date.now() + 60_000;
    let status = (await api().runs.byId({ runId: started.runId })).status;
    while (status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await api().runs.byId({ runId: started.runId })).status;
    }
    expect(status).toBe('completed');
  });

  it('processesHead: the first rows of the whole list, and the badge counts over the whole run', async () => {
    const snap = makeSnapshot({ n: 8, distinct: 3 });
    const [p0, p1, p2] = snap.processes;
    Object.assign(p0!, { integrity: 'modified', heuristics: ['deleted'] });
    Object.assign(p1!, { integrity: 'modified' });
    Object.assign(p2!, { heuristics: ['deleted'] });
    const id = await ingestSnapshot(handle.db, snap, 'cli');
    const all = decodeRowTable(await api().runs.processes({ runId: id }));
    const head = await api().runs.processesHead({ runId: id, limit: 4 });
    expect(head.rows).toEqual(all.slice(0, 4));
    expect(head.total).toBe(all.length);
    expect(head.counts).toEqual(flagCounts(all));
    expect(head.counts).toMatchObject({ modified: 2, flagged: 3 });
    expect(await rejection(api().runs.processesHead({ runId: id, limit: 0 }), 'BAD_REQUEST')).toMatch(/^limit: /);
    await rejection(api().runs.processesHead({ runId: 999_999, limit: 4 }), 'NOT_FOUND');
  });
});
