import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createFakeVt, type FakeVt } from '@/e2e/fake-vt/server';
import type { DbHandle } from '@/db';
import { ingestSnapshot } from '@/server/services/runs';
import { runCheckStatus } from '@/server/services/virustotal/queue';
import { startVtWorker, type WorkerHandle } from '@/server/services/virustotal/worker';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { until } from '@/tests/poll';

/**
 * What the lookup queue's tests (server/services/virustotal/queue.test.ts) run against: the fake
 * VirusTotal over real HTTP (reset before each test), a fresh database per test with the VT
 * settings it asks for, and the workers it starts (stopped after each test). `fake` and `handle`
 * are live bindings: importers see the current ones.
 */
export let fake: FakeVt;
export let handle: DbHandle;
let workers: WorkerHandle[] = [];

export const seeds = (n: number) => Array.from({ length: n }, (_, i) => fakeHashes(`exe-${i}`));

export async function freshDb(env: Record<string, string>) {
  await closeTestDb();
  Object.assign(process.env, {
    VT_BASE_URL: fake.url,
    VT_API_KEY: fake.apiKey,
    VT_REQUESTS_PER_MINUTE: '600',
    VT_REQUESTS_PER_DAY: '500',
    // Generous: the fake shares this process's event loop with PGlite, and a loaded machine must not
    // turn a slow answer into a timeout and a second request. The timeout test sets its own.
    VT_TIMEOUT_MS: '15000',
    ...env,
  });
  handle = await openTestDb();
}

export function worker(): WorkerHandle {
  const w = startVtWorker({ db: async () => handle.db, idleMs: 50, backoff: { baseMs: 20, maxMs: 100 } });
  workers.push(w);
  return w;
}

export const finished = (runId: number, timeoutMs?: number) =>
  until(
    () => runCheckStatus(handle.db, runId),
    (s) => s.check?.status !== 'active',
    timeoutMs,
  );

export async function runWith(distinct: number, n = distinct * 2) {
  return ingestSnapshot(handle.db, makeSnapshot({ n, distinct }), 'cli');
}

export const count429 = () => fake.requestLog().filter((r) => r.status === 429).length;

/** Starts the fake once for the file and resets it, and the workers, around each test. */
export function setUpQueueHarness(): void {
  beforeAll(async () => {
    fake = await createFakeVt({ perMinute: 0 });
  });
  afterAll(async () => {
    await closeTestDb();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    fake.setFault(null);
    fake.setLimits({ perMinute: 0, perDay: 0 });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
}
