import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from './index';

/**
 * Drizzle's migrator applies every journal entry newer than the newest migration the database
 * records. When there is none — every open but the first after an upgrade — it still creates its
 * schema and table "if not exists", reads and hashes every migration file and runs an empty
 * transaction. Here that case costs one query; anything else (a newer entry, a missing table, an
 * unreadable journal) goes to the migrator, which decides exactly as before.
 */
export async function migrateIfBehind(db: Db, migrationsFolder: string, migrate: () => Promise<void>): Promise<void> {
  if (!(await isCurrent(db, migrationsFolder))) await migrate();
}

async function isCurrent(db: Db, migrationsFolder: string): Promise<boolean> {
  let newest: number;
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
      entries: Array<{ when: number }>;
    };
    newest = Math.max(...journal.entries.map((e) => e.when));
  } catch {
    return false;
  }
  try {
    const res = (await db.execute(
      sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
    )) as unknown as { rows: Array<{ last: string | number | bigint | null }> };
    const last = res.rows[0]?.last;
    return last !== null && last !== undefined && Number(last) >= newest;
  } catch {
    // No migrations table yet: a new database.
    return false;
  }
}
