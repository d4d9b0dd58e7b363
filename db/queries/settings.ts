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
