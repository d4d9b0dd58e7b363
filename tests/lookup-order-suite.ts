import { describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { claimJob } from '@/db/queries/vt';
import { runLookupOrder } from '@/db/queries/vt-plan';
import { ingestSnapshot } from '@/server/services/runs';
import { loadCheckPlan } from '@/server/services/virustotal/plan';
import { cancelCheck, runCheckStatus, startRunCheck } from '@/server/services/virustotal/queue';
import { getVtSettings, publicVtSettings, updateVtSettings } from '@/server/services/virustotal/settings';
import { fakeHashes, makeSnapshot } from './fixtures';

/** The environment the suite expects (set before the database opens): a key and the free tier's rate. */
export const LOOKUP_ORDER_ENV = {
  VT_API_KEY: 'test-key-0123456789abcdef',
  VT_REQUESTS_PER_MINUTE: '4',
  VT_REQUESTS_PER_DAY: '500',
};

/**
 * The lookup queue serves what most likely matters first; the run page shows that order. Asserted on
 * PGlite and on PostgreSQL (its hashes and hosts are its own, so it can share a database).
 */
export function lookupOrderSuite(handle: () => DbHandle) {
  describe('lookup order', () => {
    it('modified or flagged unpackaged first, then flagged or unpackaged, fewest hosts first, distro binaries last', async () => {
      const { db } = handle();
      // order-exe-0 … 4 on host A: 0 matches its package, 1 modified, 2 not packaged, 3 not packaged + /tmp, 4 unknown.
      const a = makeSnapshot({ n: 5, distinct: 5, hostKey: 'order-a', hostname: 'a' });
      const facts = [
        { integrity: 'matches', package: 'coreutils', heuristics: [] },
        { integrity: 'modified', package: 'openssh-server', heuristics: [] },
        { integrity: 'not-packaged', package: null, heuristics: [] },
        { integrity: 'not-packaged', package: null, heuristics: ['temp-dir'] },
        { integrity: null, package: null, heuristics: [] },
      ] as const;
      a.processes.forEach((p, i) => {
        if (i < 5) Object.assign(p, { ...facts[i], heuristics: [...(facts[i]?.heuristics ?? [])] });
        if (p.hashes) p.hashes = fakeHashes(`order-exe-${i}`);
      });
      const runA = await ingestSnapshot(db, a, 'cli');
      // order-exe-2 (not packaged) also runs on a second host: within its tier it goes after single-host hashes.
      const b = makeSnapshot({ n: 1, distinct: 1, hostKey: 'order-b', hostname: 'b' });
      b.processes[0]!.hashes = fakeHashes('order-exe-2');
      b.processes.push({ ...b.processes[0]!, pid: 999, hashes: fakeHashes('order-exe-x') });
      Object.assign(b.processes[1]!, { integrity: 'not-packaged', heuristics: [] });
      await ingestSnapshot(db, b, 'cli');

      const plan = await loadCheckPlan(db, runA);
      expect(plan).toMatchObject({ total: 5, cached: 0, toLookUp: 5, queuedAhead: 0 });

      await startRunCheck(db, runA);
      const order = await runLookupOrder(db, runA, 10);
      // Within a tier and a host count the queue goes by time queued, then by hash (both tier-0 here).
      const tier0 = ['order-exe-1', 'order-exe-3'].map((x) => fakeHashes(x).sha256).sort();
      const seq = [...tier0, ...['order-exe-2', 'order-exe-4', 'order-exe-0'].map((x) => fakeHashes(x).sha256)];
      expect(order.total).toBe(5);
      expect(order.rows.map((r) => r.sha256)).toEqual(seq);
      expect(order.rows.find((r) => r.sha256 === fakeHashes('order-exe-3').sha256)).toMatchObject({
        tier: 0,
        hosts: 1,
        integrity: ['not-packaged'],
        heuristics: ['temp-dir'],
      });
      expect(order.rows[2]).toMatchObject({ tier: 1, hosts: 2 });
      expect(order.rows[4]).toMatchObject({ tier: 3, integrity: ['matches'] });

      // Workers claim in exactly that order.
      const claimed: string[] = [];
      for (let i = 0; i < 5; i++) claimed.push((await claimJob(db, 'test', 60_000))!.sha256);
      expect(claimed).toEqual(seq);
    });

    it('the skip setting leaves package-verified executables out and the run says how many', async () => {
      const { db } = handle();
      expect(publicVtSettings(await getVtSettings(db)).skipPackageVerified).toBe(false);
      const snap = makeSnapshot({ n: 3, distinct: 3, hostKey: 'skip-a', hostname: 'skip' });
      snap.processes.slice(0, 3).forEach((p, i) => {
        p.hashes = fakeHashes(`skip-${i}`);
        // skip-0 matches its package; skip-1 matches but runs from /tmp (a badge keeps it); skip-2 is not packaged.
        Object.assign(
          p,
          [
            { integrity: 'matches', heuristics: [] },
            { integrity: 'matches', heuristics: ['temp-dir'] },
            { integrity: 'not-packaged', heuristics: [] },
          ][i] ?? {},
        );
      });
      const runId = await ingestSnapshot(db, snap, 'cli');
      await updateVtSettings(db, { skipPackageVerified: true });
      expect(await loadCheckPlan(db, runId)).toMatchObject({ total: 3, skipped: 1, toLookUp: 2 });
      expect(await startRunCheck(db, runId)).toMatchObject({ total: 3, uncached: 2, skipped: 1 });
      const status = await runCheckStatus(db, runId);
      expect(status).toMatchObject({ total: 3, pending: 2, skipped: 1 });
      const order = await runLookupOrder(db, runId, 10);
      expect(order.rows.map((r) => r.sha256).sort()).toEqual(
        [fakeHashes('skip-1').sha256, fakeHashes('skip-2').sha256].sort(),
      );
      await updateVtSettings(db, { skipPackageVerified: false });
    });

    it('with the skip setting on, a distro binary queued by an earlier (cancelled) check is not asked for and counts as skipped', async () => {
      const { db } = handle();
      const snap = makeSnapshot({ n: 2, distinct: 2, hostKey: 'skip-left', hostname: 'skip-left' });
      snap.processes.slice(0, 2).forEach((p, i) => {
        p.hashes = fakeHashes(`skip-left-${i}`);
        Object.assign(
          p,
          i === 0 ? { integrity: 'matches', heuristics: [] } : { integrity: 'not-packaged', heuristics: [] },
        );
      });
      const runId = await ingestSnapshot(db, snap, 'cli');
      const [verified, unpackaged] = [fakeHashes('skip-left-0').sha256, fakeHashes('skip-left-1').sha256];
      // Checked with the setting off, then cancelled: both jobs stay queued.
      expect(await startRunCheck(db, runId)).toMatchObject({ total: 2, uncached: 2, skipped: 0 });
      await cancelCheck(db, runId);
      await updateVtSettings(db, { skipPackageVerified: true });
      try {
        expect(await startRunCheck(db, runId)).toMatchObject({ total: 2, uncached: 1, skipped: 1 });
        expect(await runCheckStatus(db, runId)).toMatchObject({ total: 2, pending: 1, skipped: 1 });
        const claimed: string[] = [];
        for (
          let job = await claimJob(db, 'skip-test', 60_000, true);
          job;
          job = await claimJob(db, 'skip-test', 60_000, true)
        )
          claimed.push(job.sha256);
        expect(claimed).toContain(unpackaged);
        expect(claimed).not.toContain(verified);

        // A run whose only executable is that distro binary: its check completes at once, the job
        // left queued does not hold it open.
        const only = makeSnapshot({ n: 1, distinct: 1, hostKey: 'skip-left-only', hostname: 'skip-left-only' });
        only.processes[0]!.hashes = fakeHashes('skip-left-0');
        Object.assign(only.processes[0]!, { integrity: 'matches', heuristics: [] });
        const onlyRun = await ingestSnapshot(db, only, 'cli');
        expect(await startRunCheck(db, onlyRun)).toMatchObject({ total: 1, uncached: 0, skipped: 1 });
        expect(await runCheckStatus(db, onlyRun)).toMatchObject({
          pending: 0,
          skipped: 1,
          check: { status: 'completed' },
        });
      } finally {
        await updateVtSettings(db, { skipPackageVerified: false });
      }
    });
  });
}
