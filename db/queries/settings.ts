import { eq, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { settings } from '../schema';

export async function readSettings(db: Db, prefix: string): Promise<Map<string, unknown>> {
  const all = await db
    .select()
    .from(settings)
    .where(sql`${settings.key} like ${`${prefix}%`}`);
  return new Map(all.map((r) => [r.key, r.value]));
}

export async function writeSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}

/**
 * Leaves no copy of a replaced or removed value in the database files: VACUUM FULL rewrites the
 * table into a new file (the old one is deleted); switching to a new WAL segment and checkpointing
 * makes the segment that held the old row obsolete, and with wal_recycle off PostgreSQL deletes it
 * instead of renaming it for reuse (a recycled segment keeps its old bytes). On a shared PostgreSQL
 * the last steps need privileges this role may lack; VACUUM FULL still drops the dead rows there.
 */
export async function purgeSettingsRemnants(db: Db): Promise<void> {
  await db.execute(sql`vacuum full settings`);
  for (const step of [sql`set wal_recycle = off`, sql`select pg_switch_wal()`, sql`checkpoint`]) {
    try {
      await db.execute(step);
    } catch {
      /* not allowed for this role */
    }
  }
}
