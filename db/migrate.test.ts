import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { closeTestDb, openTestDb, tempDataDir } from '@/tests/helpers';
import { migrateIfBehind } from './migrate';

const folder = path.resolve('db/migrations');

describe('migrateIfBehind', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb({ dataDir: tempDataDir() });
  });
  afterAll(closeTestDb);

  it('leaves a current database to one query, and hands every other case to the migrator', async () => {
    const { db } = handle;
    const migrate = vi.fn(async () => undefined);
    await migrateIfBehind(db, folder, migrate);
    expect(migrate).not.toHaveBeenCalled();

    // The newest journal entry is not recorded: an upgrade brought a migration.
    await db.execute(sql`update drizzle.__drizzle_migrations set created_at = created_at - 1
      where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
    await migrateIfBehind(db, folder, migrate);
    expect(migrate).toHaveBeenCalledTimes(1);
    await db.execute(sql`update drizzle.__drizzle_migrations set created_at = created_at + 1
      where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);

    // No migrations table (a new database) or no readable journal.
    await db.execute(sql`alter table drizzle.__drizzle_migrations rename to moved_migrations`);
    await migrateIfBehind(db, folder, migrate);
    expect(migrate).toHaveBeenCalledTimes(2);
    await db.execute(sql`alter table drizzle.moved_migrations rename to __drizzle_migrations`);
    await migrateIfBehind(db, path.join(folder, 'missing'), migrate);
    expect(migrate).toHaveBeenCalledTimes(3);

    await migrateIfBehind(db, folder, migrate);
    expect(migrate).toHaveBeenCalledTimes(3);
  });
});
