import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { hashCache } from '../schema';

export interface HashCacheRow {
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  sha256: string;
  md5: string;
  sha1: string;
}

/** Entries for the given inodes of one host; the caller compares size/mtime/ctime. */
export async function getHashCacheRows(db: Db, hostKey: string, inodes: string[]): Promise<HashCacheRow[]> {
  if (inodes.length === 0) return [];
  const out: HashCacheRow[] = [];
  for (let i = 0; i < inodes.length; i += 5000) {
    const rows = await db
      .select({
        dev: hashCache.dev,
        ino: hashCache.ino,
        size: hashCache.size,
        mtimeNs: hashCache.mtimeNs,
        ctimeNs: hashCache.ctimeNs,
        sha256: hashCache.sha256,
        md5: hashCache.md5,
        sha1: hashCache.sha1,
      })
      .from(hashCache)
      .where(and(eq(hashCache.hostKey, hostKey), inArray(hashCache.ino, inodes.slice(i, i + 5000))));
    out.push(...rows);
  }
  return out;
}

export async function putHashCacheRows(db: Db, hostKey: string, rows: HashCacheRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(hashCache)
      .values(rows.slice(i, i + 1000).map((r) => ({ ...r, hostKey })))
      .onConflictDoUpdate({
        target: [hashCache.hostKey, hashCache.dev, hashCache.ino],
        set: {
          size: sql`excluded.size`,
          mtimeNs: sql`excluded.mtime_ns`,
          ctimeNs: sql`excluded.ctime_ns`,
          sha256: sql`excluded.sha256`,
          md5: sql`excluded.md5`,
          sha1: sql`excluded.sha1`,
          lastUsedAt: sql`now()`,
        },
      });
  }
}
