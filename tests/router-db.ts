import { afterAll, beforeAll } from 'vitest';
import type { DbHandle } from '@/db';
import { insertRun, upsertHost } from '@/db/queries/runs';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';

/**
 * A fresh PGlite database for a router test file (or describe block), with the VirusTotal worker
 * off so no lookup starts on its own; `env` is set first (undefined deletes a variable). Everything
 * is closed and restored afterwards. Returns the open database, valid inside the tests.
 */
export function setUpRouterDb(env: Record<string, string | undefined> = {}): () => DbHandle {
  const vars: Record<string, string | undefined> = { VT_WORKER: 'off', ...env };
  let handle: DbHandle | undefined;
  beforeAll(async () => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    handle = await openTestDb();
  });
  afterAll(async () => {
    await closeTestDb();
    for (const [k, v] of Object.entries(vars)) if (v !== undefined) delete process.env[k];
  });
  return () => {
    if (!handle) throw new Error('the router test database is open only inside the tests');
    return handle;
  };
}

/** A run of the fixture host that an agent started and has not finished: still `running`. */
export async function insertRunningRun(handle: DbHandle): Promise<number> {
  const { hostKey: _key, ...hostFacts } = makeSnapshot().host;
  const hostId = await upsertHost(handle.db, makeSnapshot().host);
  return insertRun(handle.db, {
    hostId,
    source: 'agent',
    startedAt: new Date(),
    options: { minMemoryPercent: 0 },
    hostFacts,
  });
}
