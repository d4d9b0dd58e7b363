import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { getRun } from '@/db/queries/runs';
import { ingestSnapshot } from '@/server/services/runs';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb, tempDataDir } from '@/tests/helpers';
import { diffStoreSuite } from '@/tests/diff-store-suite';
import { chartsSuite } from '@/tests/charts-suite';
import { rulesSuite } from '@/tests/rules-suite';
import { storeSuite } from '@/tests/store-suite';

describe('embedded database (PGlite)', () => {
  let handle: DbHandle;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    handle = await openTestDb({ dataDir });
  });
  afterAll(closeTestDb);

  it('creates the schema on a fresh data directory', async () => {
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
    const tables = (await handle.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    )) as unknown as { rows: Array<{ table_name: string }> };
    const names = tables.rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining(['hosts', 'runs', 'executables', 'run_processes', 'hash_cache', 'settings']),
    );
  });

  storeSuite(() => handle);
  diffStoreSuite(() => handle);
  chartsSuite(() => handle);
  rulesSuite(() => handle);

  it('re-opens an existing data directory: migrations are not re-applied and runs survive', async () => {
    const runId = await ingestSnapshot(handle.db, makeSnapshot(), 'cli');
    await closeTestDb();
    handle = await openTestDb({ dataDir });
    expect((await getRun(handle.db, runId))?.status).toBe('completed');
    const applied = (await handle.db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    )) as unknown as {
      rows: Array<{ n: number }>;
    };
    expect(applied.rows[0]?.n).toBe(fs.readdirSync('db/migrations').filter((f) => f.endsWith('.sql')).length);
  });
});
