import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, openDb, type DbHandle } from '@/db';
import { resetEnvForTests } from '@/server/env';

/** A throwaway data directory; tests never share one (PGlite is single-process). */
export function tempDataDir(prefix = 'proclens-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Points the app's configuration at `dataDir` (embedded) or `databaseUrl` (Postgres) and opens it. */
export async function openTestDb(opts: { dataDir?: string; databaseUrl?: string } = {}): Promise<DbHandle> {
  await closeDb();
  process.env.DATA_DIR = opts.dataDir ?? tempDataDir();
  if (opts.databaseUrl) process.env.DATABASE_URL = opts.databaseUrl;
  else delete process.env.DATABASE_URL;
  resetEnvForTests();
  return openDb({ holder: 'cli' });
}

export async function closeTestDb(): Promise<void> {
  await closeDb();
  delete process.env.DATABASE_URL;
  resetEnvForTests();
}
