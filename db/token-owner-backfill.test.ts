import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Migration 0007 gives every existing agent token an owner: the person whose email is in
 * created_by (a token made on the dashboard), nobody for the CLI's and a local dashboard's. A token
 * whose maker is already gone keeps their email and so stops until an admin re-assigns it.
 */
const full = path.resolve('db/migrations');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-backfill-'));

/** The migrations folder as it stood before 0007. */
function migrationsBefore(tag: string): string {
  const dir = path.join(tmp, 'before');
  fs.cpSync(full, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe('migration 0007: token owners', () => {
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('backfills owners from created_by', async () => {
    const client = await PGlite.create();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: migrationsBefore('0007_token_owners_sign_in_throttle') });
    await db.execute(sql`insert into "user" (id, name, email, role) values ('u1', 'Ana', 'ana@example.org', 'admin')`);
    await db.execute(sql`insert into agent_tokens (name, token_hash, prefix, created_by) values
      ('by-ana', 'h1', 'plt_1', 'ana@example.org'),
      ('by-gone', 'h2', 'plt_2', 'gone@example.org'),
      ('by-cli', 'h3', 'plt_3', 'cli'),
      ('by-local', 'h4', 'plt_4', 'local'),
      ('by-nobody', 'h5', 'plt_5', null)`);
    await migrate(db, { migrationsFolder: full });
    const rows = (await db.execute(
      sql`select name, owner_id, owner_email from agent_tokens order by name`,
    )) as unknown as { rows: unknown[] };
    expect(rows.rows).toEqual([
      { name: 'by-ana', owner_id: 'u1', owner_email: 'ana@example.org' },
      { name: 'by-cli', owner_id: null, owner_email: null },
      { name: 'by-gone', owner_id: null, owner_email: 'gone@example.org' },
      { name: 'by-local', owner_id: null, owner_email: null },
      { name: 'by-nobody', owner_id: null, owner_email: null },
    ]);
    await client.close();
  });
});
