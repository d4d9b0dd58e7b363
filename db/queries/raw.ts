import type { sql } from 'drizzle-orm';
import type { Db } from '../index';

/** Rows of a raw SQL query: results have `.rows` on both PGlite and node-postgres. */
export async function rows<T extends Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
