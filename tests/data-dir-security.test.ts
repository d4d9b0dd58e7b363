import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureLocalSecret, localSecretPath } from '@/server/auth/local-access';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { getVtSettings, storeApiKey } from '@/server/services/virustotal';
import { closeTestDb, migratedDataDir, openTestDb, tempDataDir } from './helpers';

/** Every folder and file under `root` (root included). */
function walk(root: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out = [{ path: root, dir: true, mode: fs.statSync(root).mode & 0o777 }];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push({ path: p, dir: false, mode: fs.lstatSync(p).mode & 0o777 });
  }
  return out;
}

/** Files under `root` whose bytes contain `needle` (as UTF-8, as in a heap page or the WAL). */
function filesContaining(root: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return walk(root)
    .filter((f) => !f.dir && fs.readFileSync(f.path).includes(bytes))
    .map((f) => path.relative(root, f.path));
}

/** Runs a command as the unprivileged user `nobody`; fails the test with a sentence when it cannot. */
function asNobody(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', ...args], { encoding: 'utf8' });
  if (r.error)
    throw new Error(`runuser is needed to check DATA_DIR as another user and could not run: ${r.error.message}`);
  if (process.getuid?.() !== 0)
    throw new Error('This test checks DATA_DIR as the user "nobody" and must run as root (runuser switches users).');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A data dir inside a parent that everyone may traverse, so only DATA_DIR's own modes keep others out. */
function reachableDataDir(): string {
  const parent = tempDataDir('proclens-private-');
  fs.chmodSync(parent, 0o755);
  return path.join(parent, 'data');
}

afterEach(async () => {
  delete process.env.PROCLENS_SECRET;
  await closeTestDb();
});

describe('DATA_DIR is private', () => {
  it('is created 0700 with every folder below it 0700 and files 0600; another user can list or read nothing', async () => {
    const dataDir = reachableDataDir();
    const { db } = await openTestDb({ dataDir });
    await storeApiKey(db, 'private-key-0123456789abcdef');
    const entries = walk(dataDir);
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter((e) => e.dir && e.mode !== 0o700).map((e) => e.path)).toEqual([]);
    expect(
      entries.filter((e) => !e.dir && (e.mode & 0o077) !== 0 && !e.path.includes('pg_wal')).map((e) => e.path),
    ).toEqual([]);

    const ls = asNobody(['ls', dataDir]);
    expect(ls.status).not.toBe(0);
    expect(ls.stderr).toMatch(/Permission denied/);
    const someFile = entries.find((e) => !e.dir && e.path.includes(`${path.sep}pglite${path.sep}`))!.path;
    const cat = asNobody(['cat', someFile]);
    expect(cat.status).not.toBe(0);
    expect(cat.stdout).toBe('');
    const find = asNobody(['find', dataDir, '-type', 'f']);
    expect(find.stdout.trim()).toBe('');
  });

  it('keeps the local access token from other users: the file is 0600 and they cannot read it', () => {
    const dataDir = reachableDataDir();
    const secret = ensureLocalSecret(dataDir);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(localSecretPath(dataDir)).mode & 0o777).toBe(0o600);
    const cat = asNobody(['cat', localSecretPath(dataDir)]);
    expect(cat.status).not.toBe(0);
    expect(cat.stdout).not.toContain(secret);
  });

  it('tightens an existing DATA_DIR, database included, that others could read', async () => {
    const dataDir = reachableDataDir();
    fs.renameSync(await migratedDataDir(), dataDir);
    for (const e of walk(dataDir)) fs.chmodSync(e.path, e.dir ? 0o777 : 0o666);
    await openTestDb({ dataDir });
    const entries = walk(dataDir);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(entries.filter((e) => e.dir && e.mode !== 0o700)).toEqual([]);
    expect(entries.filter((e) => !e.dir && (e.mode & 0o077) !== 0).map((e) => e.path)).toEqual([]);
  });
});

describe('the VirusTotal key at rest', () => {
  it('leaves no copy of a replaced or removed key in any file after a clean stop', async () => {
    const dataDir = await migratedDataDir();
    const first = 'first-key-7a1c9e3b5d2f4a6c8e0b';
    const second = 'second-key-4b8d2f6a0c3e5a7c9e1d';
    let { db } = await openTestDb({ dataDir });
    await storeApiKey(db, first);
    expect((await getVtSettings(db)).apiKey).toBe(first);
    await storeApiKey(db, second);
    await closeTestDb();
    expect(filesContaining(dataDir, first)).toEqual([]);

    ({ db } = await openTestDb({ dataDir }));
    expect((await getVtSettings(db)).apiKey).toBe(second);
    await storeApiKey(db, null);
    expect((await getVtSettings(db)).apiKey).toBeNull();
    await closeTestDb();
    expect(filesContaining(dataDir, second)).toEqual([]);
  });

  it('is stored encrypted (AES-256-GCM) when PROCLENS_SECRET is set, and read back only with it', async () => {
    const dataDir = await migratedDataDir();
    const key = 'sealed-key-9f8e7d6c5b4a39281706';
    process.env.PROCLENS_SECRET = 'correct horse battery staple';
    let { db } = await openTestDb({ dataDir });
    expect(getEnv().PROCLENS_SECRET).toBeDefined();
    await storeApiKey(db, key);
    expect((await getVtSettings(db)).apiKey).toBe(key);
    await closeTestDb();
    // Not even the running database ever held it in clear.
    expect(filesContaining(dataDir, key)).toEqual([]);

    process.env.PROCLENS_SECRET = 'a different secret entirely';
    ({ db } = await openTestDb({ dataDir }));
    const wrong = await getVtSettings(db);
    expect(wrong.apiKey).toBeNull();
    expect(wrong.keySource).toBeNull();
    await closeTestDb();

    process.env.PROCLENS_SECRET = 'correct horse battery staple';
    resetEnvForTests();
    ({ db } = await openTestDb({ dataDir }));
    expect((await getVtSettings(db)).apiKey).toBe(key);
  });
});
