import { eq, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { rows } from './raw';
import { vtQuota } from '../schema';

/**
 * The shared VirusTotal quota row: all of the rate limiter's SQL (server/services/virustotal/
 * rate-limiter.ts decides; this reads and writes).
 */

export type QuotaPatch = Partial<typeof vtQuota.$inferInsert>;

export type LockedQuota = Awaited<ReturnType<typeof lockQuotaRow>>;

export const QUOTA_ID = 'default';

async function lockQuotaRow(tx: Db, today: string) {
  await tx.insert(vtQuota).values({ id: QUOTA_ID, day: today }).onConflictDoNothing();
  const [row] = await rows<{
    next_allowed_at: Date | string;
    last_request_at: Date | string | null;
    day: string;
    day_count: number;
    paused_until: Date | string | null;
    pause_reason: 'daily' | 'auth' | null;
    pause_message: string | null;
  }>(
    tx,
    sql`select next_allowed_at, last_request_at, day, day_count, paused_until, pause_reason, pause_message from ${vtQuota} where id = ${QUOTA_ID} for update`,
  );
  if (!row) throw new Error('quota row missing');
  const d = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
  return {
    nextAllowedAt: d(row.next_allowed_at)!,
    lastRequestAt: d(row.last_request_at),
    day: row.day,
    dayCount: row.day_count,
    pausedUntil: d(row.paused_until),
    pauseReason: row.pause_reason,
    pauseMessage: row.pause_message,
  };
}

export async function updateQuota(db: Db, patch: QuotaPatch): Promise<void> {
  await db.update(vtQuota).set(patch).where(eq(vtQuota.id, QUOTA_ID));
}

export async function readQuota(db: Db) {
  const [row] = await db.select().from(vtQuota).where(eq(vtQuota.id, QUOTA_ID));
  return row ?? null;
}

/**
 * Runs `fn` in a transaction holding the quota row's lock (the row is created for `today` when
 * missing); `fn` gets the row as it stood and a writer for it inside the same transaction.
 */
export async function withLockedQuota<T>(
  db: Db,
  today: string,
  fn: (quota: LockedQuota, update: (patch: QuotaPatch) => Promise<void>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const quota = await lockQuotaRow(t, today);
    return fn(quota, (patch) => updateQuota(t, patch));
  });
}

/** Moves the next allowed request to `next` unless it is already later. */
export async function pushNextAllowedAt(db: Db, next: Date): Promise<void> {
  await db
    .update(vtQuota)
    .set({ nextAllowedAt: sql`greatest(${vtQuota.nextAllowedAt}, ${next})` })
    .where(eq(vtQuota.id, QUOTA_ID));
}
