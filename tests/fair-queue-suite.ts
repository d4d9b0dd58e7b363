import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { claimJob, storeVerdict } from '@/db/queries/vt';
import { runLookupOrder } from '@/db/queries/vt-plan';
import { resetEnvForTests } from '@/lib/env';
import { fleetHosts, queueAgentSnapshotHashes } from '@/server/services/fleet';
import { ingestSnapshot, storeSnapshot, type Snapshot } from '@/server/services/runs';
import { loadCheckPlan } from '@/server/services/virustotal/plan';
import { cancelCheck, runCheckStatus, startRunCheck } from '@/server/services/virustotal/queue';
import { fakeHashes, makeSnapshot } from './fixtures';

type Facts = Partial<Pick<Snapshot['processes'][number], 'integrity' | 'package' | 'heuristics'>>;

/** A host's snapshot running one process per seed (each its own executable), with the facts it claims. */
export function snapshotOf(hostKey: string, seeds: readonly string[], facts: (seed: string) => Facts = () => ({})) {
  const snap = makeSnapshot({ n: 1, distinct: 1, hostKey, hostname: hostKey });
  const [template] = snap.processes;
  snap.processes = seeds.map((seed, i) => ({
    ...template!,
    pid: 1000 + i,
    name: seed.slice(0, 15),
    exe: `/opt/${seed}`,
    cmdline: `/opt/${seed}`,
    hashes: fakeHashes(seed),
    ...facts(seed),
  }));
  snap.stats = { ...snap.stats, processCount: seeds.length, distinctExecutables: seeds.length };
  return snap;
}

/** What /api/ingest does with an agent's snapshot: store it, then queue its new hashes. */
export async function pushAgentSnapshot(db: Db, snap: Snapshot, now?: Date): Promise<number> {
  const { runId } = await storeSnapshot(db, snap, 'agent', {
    snapshotId: crypto.randomUUID(),
    agentVersion: 'test',
    tokenId: null,
  });
  await queueAgentSnapshotHashes(db, runId, now);
  return runId;
}

const seeds = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const sha = (seed: string) => fakeHashes(seed).sha256;

/** The first `n` jobs the queue hands out, in order (what the workers would ask VirusTotal). */
async function claims(db: Db, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const job = await claimJob(db, 'fair-test', 600_000);
    if (!job) break;
    out.push(job.sha256);
  }
  return out;
}

/** Every check still active (left by other suites sharing the database) is cancelled: each test starts from an idle queue. */
async function idleQueue(db: Db): Promise<void> {
  const res = (await db.execute(sql`select run_id from vt_run_checks where status = 'active'`)) as unknown as {
    rows: Array<{ run_id: number }>;
  };
  for (const r of res.rows) await cancelCheck(db, Number(r.run_id));
}

function setShare(perHostDay: number | null): void {
  if (perHostDay === null) delete process.env.INGEST_VT_NEW_PER_HOST_DAY;
  else process.env.INGEST_VT_NEW_PER_HOST_DAY = String(perHostDay);
  resetEnvForTests();
}

/**
 * One host cannot flood or jump the VirusTotal queue (issue 17 item 10): new hashes from an agent's
 * snapshots are capped per host per day, the queue serves hosts in turn within a priority tier, and
 * what an agent claims orders only its own host's hashes. Run on PGlite and on PostgreSQL.
 */
export function fairQueueSuite(handle: () => DbHandle) {
  describe('a fair VirusTotal queue across hosts', () => {
    beforeEach(async () => idleQueue(handle().db));
    afterEach(async () => {
      setShare(null);
      await idleQueue(handle().db);
    });

    it("a host flooding thousands of new hashes does not delay another host's five", async () => {
      const { db } = handle();
      setShare(5000); // the cap out of the way: the turns alone must let the other host through
      const flood = seeds('flood', 3000);
      await pushAgentSnapshot(db, snapshotOf('fair-flood-a', flood));
      const five = seeds('flood-b', 5);
      const runB = await pushAgentSnapshot(db, snapshotOf('fair-flood-b', five));
      expect(await runCheckStatus(db, runB)).toMatchObject({ total: 5, pending: 5 });

      const first = await claims(db, 10);
      expect(first).toHaveLength(10);
      for (const s of five) expect(first).toContain(sha(s));
      // The turns alternate: the flooding host is served as often as the other, no more.
      expect(first.filter((s) => five.map(sha).includes(s))).toHaveLength(5);
    });

    it('integrity "modified" claimed by one host\'s fakes does not go ahead of another host\'s real hashes', async () => {
      const { db } = handle();
      setShare(5000);
      const real = seeds('jump-b', 5);
      await pushAgentSnapshot(
        db,
        snapshotOf('fair-jump-b', real, () => ({ integrity: 'matches', package: 'coreutils', heuristics: [] })),
      );
      const fakes = seeds('jump-a', 2000);
      await pushAgentSnapshot(
        db,
        snapshotOf('fair-jump-a', fakes, () => ({ integrity: 'modified', package: 'bash', heuristics: ['temp-dir'] })),
      );
      const first = await claims(db, 10);
      for (const s of real) expect(first).toContain(sha(s));
    });

    it('a host whose lookups are all answered leaves the turns; back with new work, it is served next', async () => {
      const { db } = handle();
      setShare(5000);
      await pushAgentSnapshot(db, snapshotOf('fair-back-a', seeds('back-a', 40)));
      await pushAgentSnapshot(db, snapshotOf('fair-back-b', ['back-b-0']));
      const first = await claims(db, 2);
      expect(first).toContain(sha('back-b-0'));
      await storeVerdict(db, { sha256: sha('back-b-0'), found: false, fetchedAt: new Date() });
      // A is served meanwhile; then B comes back with one new hash: its turn comes first.
      await claims(db, 3);
      await pushAgentSnapshot(db, snapshotOf('fair-back-b', ['back-b-1']));
      expect(await claims(db, 1)).toEqual([sha('back-b-1')]);
    });

    it("what one host claims about a shared hash does not reorder another host's lookups", async () => {
      const { db } = handle();
      // B runs `shared` as its package's unmodified file and `own` unpackaged: `own` first.
      const runB = await pushAgentSnapshot(
        db,
        snapshotOf('fair-claim-b', ['claim-shared', 'claim-own'], (s) =>
          s === 'claim-shared'
            ? { integrity: 'matches', package: 'coreutils', heuristics: [] }
            : { integrity: 'not-packaged', package: null, heuristics: [] },
        ),
      );
      // A says the same file is modified and runs from /tmp.
      await pushAgentSnapshot(
        db,
        snapshotOf('fair-claim-a', ['claim-shared'], () => ({
          integrity: 'modified',
          package: 'coreutils',
          heuristics: ['temp-dir'],
        })),
      );
      const order = await runLookupOrder(db, runB, 10);
      expect(order.rows.map((r) => r.sha256)).toEqual([sha('claim-own'), sha('claim-shared')]);
      expect(order.rows[1]).toMatchObject({ tier: 3, integrity: ['matches'], heuristics: [] });
    });

    it("a person's check goes before lookups queued automatically from agents' snapshots", async () => {
      const { db } = handle();
      setShare(5000);
      await pushAgentSnapshot(db, snapshotOf('fair-tier-agent', seeds('tier-agent', 50)));
      const local = seeds('tier-local', 4);
      const localRun = await ingestSnapshot(db, snapshotOf('fair-tier-local', local), 'cli');
      await startRunCheck(db, localRun);
      expect((await claims(db, 4)).sort()).toEqual(local.map(sha).sort());
    });

    it('caps the new hashes queued from one host a day; the rest is kept and counted as not queued', async () => {
      const { db } = handle();
      setShare(50);
      const day = new Date('2031-05-06T10:00:00Z');
      // 120 new hashes; the host says 10 of them are modified: those make its share first.
      const many = seeds('cap-a', 120);
      const modified = new Set(many.slice(100));
      const snapA = snapshotOf('fair-cap-a', many, (s) =>
        modified.has(s) ? { integrity: 'modified', package: 'bash', heuristics: [] } : {},
      );
      const runA = await pushAgentSnapshot(db, snapA, day);
      expect(await runCheckStatus(db, runA)).toMatchObject({ total: 120, pending: 50, held: 70 });
      expect(await loadCheckPlan(db, runA, day)).toMatchObject({ total: 120, held: 70 });
      const queued = (await runLookupOrder(db, runA, 100)).rows.map((r) => r.sha256);
      expect(queued).toHaveLength(50);
      for (const s of modified) expect(queued).toContain(sha(s));

      // The same host again that day, with 5 more: its share is spent; what is queued stays queued.
      const again = await pushAgentSnapshot(db, snapshotOf('fair-cap-a', [...many, ...seeds('cap-a-more', 5)]), day);
      expect(await runCheckStatus(db, again)).toMatchObject({ total: 125, pending: 50, held: 75 });

      // Another host has its own share.
      const runB = await pushAgentSnapshot(db, snapshotOf('fair-cap-b', seeds('cap-b', 5)), day);
      expect(await runCheckStatus(db, runB)).toMatchObject({ pending: 5, held: 0 });

      // The hosts page says where the cap bites: today's share and the newest run's held hashes.
      const hosts = await fleetHosts(db, day);
      expect(hosts.find((h) => h.hostKey === 'fair-cap-a')?.vtShare).toEqual({
        perDay: 50,
        queuedToday: 50,
        heldLastRun: 75,
      });
      expect(hosts.find((h) => h.hostKey === 'fair-cap-b')?.vtShare).toMatchObject({ queuedToday: 5, heldLastRun: 0 });

      // The next UTC day brings a new share.
      const next = new Date('2031-05-07T00:30:00Z');
      const tomorrow = await pushAgentSnapshot(db, snapshotOf('fair-cap-a', seeds('cap-a-next', 60)), next);
      expect(await runCheckStatus(db, tomorrow)).toMatchObject({ pending: 50, held: 10 });

      // An analyst's explicit check queues what the share held back (a person chose to spend the quota).
      expect(await startRunCheck(db, again)).toMatchObject({ total: 125, uncached: 125 });
      expect(await runCheckStatus(db, again)).toMatchObject({ pending: 125, held: 0 });
    });

    it('two snapshots of one host arriving together spend its share once', async () => {
      const { db } = handle();
      setShare(30);
      const day = new Date('2031-06-01T08:00:00Z');
      const shared = seeds('twice-shared', 25);
      const runs = await Promise.all(
        ['one', 'two'].map((k) =>
          pushAgentSnapshot(db, snapshotOf('fair-twice', [...shared, ...seeds(`twice-${k}`, 5)]), day),
        ),
      );
      const status = await Promise.all(runs.map((r) => runCheckStatus(db, r)));
      // One of them queued 30 (its share); the other joined the 25 shared and had 5 held.
      expect(status.map((s) => s.held).sort()).toEqual([0, 5]);
      expect(status.map((s) => s.pending).sort()).toEqual([25, 30]);
      const host = (await fleetHosts(db, day)).find((h) => h.hostKey === 'fair-twice');
      expect(host?.vtShare.queuedToday).toBe(30);
    });

    it('many claims at once never hand out one job twice', async () => {
      const { db } = handle();
      setShare(5000);
      for (const h of ['x', 'y', 'z']) await pushAgentSnapshot(db, snapshotOf(`fair-conc-${h}`, seeds(`conc-${h}`, 8)));
      const got = (await Promise.all(Array.from({ length: 12 }, () => claimJob(db, 'fair-conc', 600_000)))).map(
        (j) => j?.sha256,
      );
      const handed = got.filter((s): s is string => typeof s === 'string');
      expect(new Set(handed).size).toBe(handed.length);
      expect(handed.length).toBeGreaterThanOrEqual(1);
    });
  });
}
