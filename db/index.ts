import 'server-only';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { ProcLensError } from '@/domain/errors';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import { ensurePrivateDataDir, mkdirPrivate, tightenTree } from './data-dir';
import { acquireLock, type HeldLock, type LockInfo } from './lock';
import { migrateIfBehind } from './migrate';
import * as schema from './schema';
import { processSingleton } from '@/lib/singleton';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
  db: Db;
  mode: 'pglite' | 'postgres';
  /** Present in embedded mode: this process holds the data directory. */
  lock: HeldLock | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Who holds the embedded database (the lock records it). */
  holder: LockInfo['kind'];
  url?: string | null;
}

export class DatabaseUnavailableError extends ProcLensError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

function migrationsFolder(): string {
  return path.join(getEnv().projectRoot, 'db', 'migrations');
}

async function openPglite(opts: OpenOptions): Promise<DbHandle> {
  const env = getEnv();
  const dir = path.join(env.dataDir, 'pglite');
  if (ensurePrivateDataDir(env.dataDir).tightened) {
    logger.warn({ dataDir: env.dataDir }, 'DATA_DIR was readable by other users; its mode is now 0700 (owner only)');
  }
  const lock = acquireLock(env.dataDir, opts.holder, opts.url ?? null);
  try {
    mkdirPrivate(dir);
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create(dir);
    tightenTree(dir);
    const db = drizzle(client, { schema });
    const folder = migrationsFolder();
    await migrateIfBehind(db as unknown as Db, folder, () => migrate(db, { migrationsFolder: folder }));
    let closed = false;
    return {
      db: db as unknown as Db,
      mode: 'pglite',
      lock,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'postgres pool error'));
  try {
    const db = drizzle(pool, { schema });
    const folder = migrationsFolder();
    await migrateIfBehind(db as unknown as Db, folder, () => migrate(db, { migrationsFolder: folder }));
    return {
      db: db as unknown as Db,
      mode: 'postgres',
      lock: null,
      close: () => pool.end(),
    };
  } catch (e) {
    await pool.end().catch(() => undefined);
    const reason = e instanceof Error ? e.message : String(e);
    // The URL may carry a password: name the variable, never its value.
    throw new DatabaseUnavailableError(`Cannot use the database at DATABASE_URL: ${reason}`, { cause: e });
  }
}

const handleSlot = processSingleton<Promise<DbHandle>>('db');

/**
 * The process's one database handle, opened lazily and migrated on first use (one per process,
 * however often Next loads this module); a failed open is forgotten so the next call tries again.
 */
export function openDb(opts: OpenOptions = { holder: 'server' }): Promise<DbHandle> {
  return handleSlot.oncePromise(() => {
    const env = getEnv();
    return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(opts);
  });
}

export async function getDb(): Promise<Db> {
  return (await openDb()).db;
}

export async function closeDb(): Promise<void> {
  const p = handleSlot.clear();
  if (!p) return;
  const handle = await p.catch(() => null);
  await handle?.close();
}

export { schema };
