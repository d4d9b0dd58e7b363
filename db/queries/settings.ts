import { eq, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { settings } from '../schema';

export async function readSettings(db: Db, prefix: string): Promise<Map<string, unknown>> {
  const all = await db.select().from(settings).where(sql`${settings.key} like ${`${prefix}%`}`);
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
 * Leaves no dead copy of a replaced or removed value in the table's files: VACUUM FULL rewrites
 * the table into a new file (the old one is deleted), CHECKPOINT flushes it so the WAL that held
 * the old row is recycled at the next clean stop. CHECKPOINT needs a privileged role on a shared
 * PostgreSQL; there VACUUM FULL still drops the dead rows.
 */
export async function purgeSettingsRemnants(db: Db): Promise<void> {
  await db.execute(sql`vacuum full settings`);
  try {
    await db.execute(sql`checkpoint`);
  } catch {
    /* not allowed for this role: the server's own checkpoints follow */
  }
}
