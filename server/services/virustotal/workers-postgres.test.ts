import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt } from '@/e2e/fake-vt/server';
import type { DbHandle } from '@/db';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { ingestSnapshot } from '@/server/services/runs';
import { cliProcess } from '@/tests/cli';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { runCheckStatus, startRunCheck } from './queue';

/** Hosted mode: separate `proclens worker` processes on one PostgreSQL share one key's rate. */
describe('two worker processes on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof startTempPostgres>>;
  let fake: FakeVt;
  let handle: DbHandle;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await startTempPostgres();
    // VirusTotal's sliding-window rule, compressed 10×: 18 per 6 s window is 180/min.
    fake = await createFakeVt({ perMinute: 18, windowMs: 6_000, perDay: 0 });
    Object.assign(process.env, { VT_BASE_URL: fake.url, VT_API_KEY: fake.apiKey, VT_REQUESTS_PER_MINUTE: '180' });
    handle = await openTestDb({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await closeTestDb();
    await fake?.close();
    await pg?.stop();
  });

  it('never exceed the shared rate and ask each hash once', async () => {
    const runId = await ingestSnapshot(handle.db, makeSnapshot({ n: 44, distinct: 22 }), 'agent');
    expect(await startRunCheck(handle.db, runId)).toMatchObject({ uncached: 22 });
    const env = { DATABASE_URL: pg.url, VT_BASE_URL: fake.url, VT_API_KEY: fake.apiKey, VT_REQUESTS_PER_MINUTE: '180' };
    workers.push(cliProcess(['worker'], env), cliProcess(['worker'], env));
    const deadline = Date.now() + 60_000;
    let status = await runCheckStatus(handle.db, runId);
    while (status.check?.status === 'active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = await runCheckStatus(handle.db, runId);
    }
    expect(status).toMatchObject({ checked: 22, failed: 0, check: { status: 'completed' } });
    expect(fake.requests()).toBe(22);
    expect(fake.requestLog().filter((r) => r.status === 429)).toHaveLength(0);
    for (const h of Object.values(
      fake.requestLog().reduce<Record<string, number>>((m, r) => ({ ...m, [r.hash]: (m[r.hash] ?? 0) + 1 }), {}),
    )) {
      expect(h).toBe(1);
    }
  });
});
