import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, openDb, type DbHandle } from '@/db';
import { resetEnvForTests } from '@/lib/env';

/** A throwaway, empty data directory; tests never share one (PGlite is single-process). */
export function tempDataDir(prefix = 'proclens-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A throwaway data directory whose embedded database already exists and is migrated: a copy of one
 * template per migration set. Creating a PGlite database and migrating it costs about 4 s on the
 * 2-core machine; copying the template and opening it about 1 s. Tests of the first-run path itself
 * (creating DATA_DIR, its modes, the migrations) use `tempDataDir()` instead.
 */
export async function migratedDataDir(prefix = 'proclens-test-'): Promise<string> {
  const template = await pgliteTemplate();
  const dir = tempDataDir(prefix);
  fs.cpSync(template, path.join(dir, 'pglite'), { recursive: true });
  return dir;
}

let templatePromise: Promise<string> | null = null;

/** The template's pglite folder, keyed by the migrations and the PGlite version, shared by every test process. */
function pgliteTemplate(): Promise<string> {
  templatePromise ??= (async () => {
    const target = path.join(os.tmpdir(), `proclens-pglite-template-${templateKey()}`);
    if (fs.existsSync(path.join(target, 'PG_VERSION'))) return target;
    const build = tempDataDir('proclens-template-build-');
    await openTestDb({ dataDir: build });
    await closeTestDb();
    try {
      // Another test process may have finished first; either copy is the same database.
      fs.renameSync(path.join(build, 'pglite'), target);
    } catch (e) {
      if (!fs.existsSync(path.join(target, 'PG_VERSION'))) throw e;
    }
    fs.rmSync(build, { recursive: true, force: true });
    return target;
  })();
  return templatePromise;
}

function templateKey(): string {
  const hash = crypto.createHash('sha256');
  const migrations = path.resolve('db/migrations');
  for (const entry of fs.readdirSync(migrations, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hash.update(path.relative(migrations, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  const pglite = JSON.parse(fs.readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8'));
  hash.update(String(pglite.version));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Points the app's configuration at `dataDir` (embedded) or `databaseUrl` (Postgres) and opens it.
 * With neither, a fresh copy of the migrated template.
 */
export async function openTestDb(opts: { dataDir?: string; databaseUrl?: string } = {}): Promise<DbHandle> {
  const dataDir = opts.dataDir ?? (opts.databaseUrl ? tempDataDir() : await migratedDataDir());
  await closeDb();
  process.env.DATA_DIR = dataDir;
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
