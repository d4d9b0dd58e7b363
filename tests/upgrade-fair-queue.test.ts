import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { claimJob } from '@/db/queries/vt';
import { ingestSnapshot } from '@/server/services/runs';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb, tempDataDir } from '@/tests/helpers';

/** A ProcLens tree whose migrations stop before `name` (the database as the previous release left it). */
function rootBefore(name: string): string {
  const root = tempDataDir('proclens-root-');
  const from = path.resolve('db/migrations');
  const to = path.join(root, 'db', 'migrations');
  fs.cpSync(from, to, { recursive: true });
  const journalFile = path.join(to, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === name);
  expect(at).toBeGreaterThan(0);
  for (const e of journal.entries.slice(at)) fs.rmSync(path.join(to, `${e.tag}.sql`));
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return root;
}

describe('upgrading to the fair VirusTotal queue', () => {
  afterAll(async () => {
    delete process.env.PROCLENS_ROOT;
    await closeTestDb();
  });

  it('lookups queued before the upgrade are still served, each host waiting for its own', async () => {
    const dataDir = tempDataDir();
    process.env.PROCLENS_ROOT = rootBefore('0008_fair_vt_queue');
    let { db } = await openTestDb({ dataDir });
    const snap = makeSnapshot({ n: 2, distinct: 2, hostKey: 'upgrade-host' });
    snap.processes[0]!.hashes = fakeHashes('upgrade-0');
    Object.assign(snap.processes[0]!, { integrity: 'modified', package: 'bash', heuristics: [] });
    snap.processes[1]!.hashes = fakeHashes('upgrade-1');
    const runId = await ingestSnapshot(db, snap, 'cli');
    // What the previous release's "Check on VirusTotal" left: two queued jobs and an active check.
    for (const seed of ['upgrade-0', 'upgrade-1']) {
      await db.execute(sql`insert into vt_jobs (sha256) values (${fakeHashes(seed).sha256})`);
    }
    await db.execute(sql`insert into vt_run_checks (run_id, status) values (${runId}, 'active')`);
    await closeTestDb();

    delete process.env.PROCLENS_ROOT;
    ({ db } = await openTestDb({ dataDir }));
    const first = await claimJob(db, 'upgrade-test', 60_000);
    const second = await claimJob(db, 'upgrade-test', 60_000);
    // The modified file first, as its host's rank says.
    expect([first?.sha256, second?.sha256]).toEqual([fakeHashes('upgrade-0').sha256, fakeHashes('upgrade-1').sha256]);
  });
});
