import { describe, expect, it } from 'vitest';
import { createFakeVt } from '@/e2e/fake-vt/server';
import { ingestSnapshot } from '@/server/services/runs';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { resetEnvForTests } from '@/lib/env';
import { pushAgentSnapshot, snapshotOf } from '@/tests/fair-queue-suite';
import { until } from '@/tests/poll';
import {
  count429,
  fake,
  finished,
  freshDb,
  handle,
  runWith,
  seeds,
  setUpQueueHarness,
  worker,
} from '@/tests/vt-queue-harness';
import { cancelCheck, retryFailed, runCheckStatus, startRunCheck } from './queue';
import { DAILY_MESSAGE } from './rate-limiter';

/**
 * The lookup queue, the shared rate limiter and the worker against the fake VirusTotal over real
 * HTTP (tests/vt-queue-harness.ts). The fake enforces its quota, so "0 × 429" is the fake's word,
 * not ours.
 */
setUpQueueHarness();

describe('VirusTotal lookup queue', () => {
  it('requests each distinct uncached hash exactly once, and a cached re-check makes zero requests', async () => {
    await freshDb({});
    const [a, b] = seeds(5);
    fake.addReport({
      sha256: a!.sha256,
      md5: a!.md5,
      sha1: a!.sha1,
      malicious: 7,
      undetected: 65,
      label: 'trojan.test/x',
    });
    fake.addReport({ sha256: b!.sha256, malicious: 1, undetected: 70 });
    const before = fake.requests();
    const runId = await runWith(5, 12);
    expect(await startRunCheck(handle.db, runId)).toEqual({ total: 5, uncached: 5, skipped: 0 });
    worker();
    const s = await finished(runId);
    expect(s).toMatchObject({
      total: 5,
      checked: 5,
      failed: 0,
      pending: 0,
      check: { status: 'completed', requestsMade: 5 },
    });
    expect(fake.requests() - before).toBe(5);
    for (const h of seeds(5)) expect(fake.hashRequests(h.sha256)).toBe(1);

    // Another run of the same executables (another host, say): all cached, nothing asked.
    const again = await ingestSnapshot(handle.db, makeSnapshot({ n: 4, distinct: 5, hostKey: 'other-host' }), 'cli');
    expect(await startRunCheck(handle.db, again)).toMatchObject({ uncached: 0 });
    expect((await runCheckStatus(handle.db, again)).check?.status).toBe('completed');
    expect(fake.requests() - before).toBe(5);

    // Re-check forces fresh answers.
    await startRunCheck(handle.db, runId, { force: true });
    await finished(runId);
    expect(fake.requests() - before).toBe(10);
  });

  it('paces at the configured rate: zero 429s from a quota-enforcing VirusTotal, with two workers sharing one limiter', async () => {
    // VirusTotal's sliding-window rule, compressed 10×: 18 requests per 6 s window is 180/min
    // (compressed further, a process's first connection set-up alone would eat the margin).
    const strict = await createFakeVt({ perMinute: 18, windowMs: 6_000, perDay: 0 });
    try {
      await freshDb({ VT_BASE_URL: strict.url, VT_API_KEY: strict.apiKey, VT_REQUESTS_PER_MINUTE: '180' });
      const runId = await runWith(22);
      await startRunCheck(handle.db, runId);
      worker();
      worker();
      expect(await finished(runId)).toMatchObject({ checked: 22, failed: 0 });
      expect(strict.requests()).toBe(22);
      expect(strict.requestLog().filter((r) => r.status === 429)).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('waits and retries after a per-minute 429 (with or without a body)', async () => {
    await freshDb({});
    fake.setFault({ kind: '429-empty', times: 1 });
    const runId = await runWith(2);
    await startRunCheck(handle.db, runId);
    worker();
    const s = await finished(runId, 20_000);
    expect(s).toMatchObject({ checked: 2, failed: 0 });
    expect(count429()).toBe(1);
  });

  it('treats a 429 with a TooManyRequests body, a 504 and NotAvailableYet as passing', async () => {
    await freshDb({});
    const runId = await runWith(3);
    await startRunCheck(handle.db, runId);
    fake.setFault({ kind: '429-json', times: 1 });
    worker();
    await until(
      () => Promise.resolve(fake.requests()),
      (n) => n >= 1,
    );
    fake.setFault({ kind: '504', times: 1 });
    await until(
      () => Promise.resolve(fake.requests()),
      (n) => n >= 2,
    );
    fake.setFault({ kind: '400-not-ready', times: 1 });
    expect(await finished(runId, 30_000)).toMatchObject({ checked: 3, failed: 0 });
  });

  it('stops on 403 (a key without the privilege) like on 401', async () => {
    await freshDb({ VT_REQUESTS_PER_MINUTE: '60' });
    fake.setFault({ kind: '403' });
    const runId = await runWith(2);
    await startRunCheck(handle.db, runId);
    worker();
    const s = await until(
      () => runCheckStatus(handle.db, runId),
      (x) => x.quota.paused !== null,
    );
    expect(s.quota.paused?.reason).toBe('auth');
    expect(s.quota.paused?.message).toMatch(/403/);
    expect(fake.requests()).toBe(1);
  });

  it('backs off on 5xx, malformed JSON and timeouts, then succeeds', async () => {
    await freshDb({ VT_TIMEOUT_MS: '1000' });
    const runId = await runWith(3);
    await startRunCheck(handle.db, runId);
    fake.setFault({ kind: '503', times: 2 });
    worker();
    await until(
      () => Promise.resolve(fake.requests()),
      (n) => n >= 3,
    );
    fake.setFault({ kind: 'malformed', times: 1 });
    await until(
      () => Promise.resolve(fake.requests()),
      (n) => n >= 4,
    );
    fake.setFault({ kind: 'slow', delayMs: 3000, times: 1 });
    const s = await finished(runId, 30_000);
    expect(s).toMatchObject({ checked: 3, failed: 0, pending: 0 });
  });

  it('marks a hash failed with its reason after bounded attempts, and Retry failed re-queues it', async () => {
    await freshDb({});
    fake.setFault({ kind: '500' });
    const runId = await runWith(1, 2);
    await startRunCheck(handle.db, runId);
    worker();
    const s = await finished(runId);
    expect(s).toMatchObject({ failed: 1, checked: 0 });
    expect(fake.requests()).toBe(5);
    fake.setFault(null);
    expect(await retryFailed(handle.db, runId)).toBe(1);
    expect(await finished(runId)).toMatchObject({ failed: 0, checked: 1 });
  });

  it('stops the queue on 401 without burning retries, and a new key resumes it', async () => {
    await freshDb({ VT_REQUESTS_PER_MINUTE: '60' }); // one lookup in flight, as at the public key's pace
    fake.setFault({ kind: '401' });
    const runId = await runWith(4);
    await startRunCheck(handle.db, runId);
    worker();
    const s = await until(
      () => runCheckStatus(handle.db, runId),
      (x) => x.quota.paused !== null,
    );
    expect(s.quota.paused).toMatchObject({ reason: 'auth' });
    expect(s.quota.paused!.message).toMatch(/Settings page/);
    expect(s.quota.paused!.message).not.toContain(fake.apiKey);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests()).toBe(1);
    fake.setFault(null);
    await startRunCheck(handle.db, runId); // what saving a key does: lifts the stop
    expect(await finished(runId)).toMatchObject({ checked: 4 });
  });

  it('pauses until 00:00 UTC when the daily quota is reached, by its own count or by VirusTotal', async () => {
    await freshDb({ VT_REQUESTS_PER_DAY: '3' });
    const runId = await runWith(5);
    await startRunCheck(handle.db, runId);
    worker();
    // The pause comes from the permit count; a lookup already in flight may still land after it.
    const s = await until(
      () => runCheckStatus(handle.db, runId),
      (x) => x.quota.paused !== null && x.checked === 3,
    );
    expect(s.quota.paused).toMatchObject({ reason: 'daily', message: DAILY_MESSAGE });
    expect(s.quota.paused!.until!.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(s.checked).toBe(3);
    expect(fake.requests()).toBe(3);
    expect(count429()).toBe(0);

    await freshDb({});
    fake.setFault({ kind: '429-daily' });
    const r2 = await runWith(2);
    await startRunCheck(handle.db, r2);
    worker();
    const s2 = await until(
      () => runCheckStatus(handle.db, r2),
      (x) => x.quota.paused !== null,
    );
    expect(s2.quota.paused?.reason).toBe('daily');
    expect(s2.pending).toBe(2);
  });

  it('Cancel stops lookups that no other check needs', async () => {
    await freshDb({ VT_REQUESTS_PER_MINUTE: '120' });
    const runId = await runWith(6);
    await startRunCheck(handle.db, runId);
    worker();
    await until(
      () => Promise.resolve(fake.requests()),
      (n) => n >= 1,
    );
    expect(await cancelCheck(handle.db, runId)).toBe(true);
    const at = fake.requests();
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.requests()).toBeLessThanOrEqual(at + 2); // at most the lookups already in flight
    expect((await runCheckStatus(handle.db, runId)).check?.status).toBe('cancelled');
  });

  it("asks another host's five within the first requests while one agent host floods the queue", async () => {
    // 60/min: one lookup in flight, so VirusTotal is asked in the order the queue hands jobs out.
    await freshDb({ INGEST_VT_NEW_PER_HOST_DAY: '5000', VT_REQUESTS_PER_MINUTE: '60' });
    try {
      const flood = Array.from({ length: 1000 }, (_, i) => `rq-flood-${i}`);
      await pushAgentSnapshot(
        handle.db,
        snapshotOf('rq-flood-a', flood, () => ({ integrity: 'modified', package: 'bash', heuristics: ['temp-dir'] })),
      );
      const five = Array.from({ length: 5 }, (_, i) => `rq-five-${i}`);
      const runB = await pushAgentSnapshot(handle.db, snapshotOf('rq-five-b', five));
      worker();
      await until(
        () => runCheckStatus(handle.db, runB),
        (s) => s.check?.status === 'completed',
      );
      const asked = fake.requestLog().map((r) => r.hash);
      const at = five.map((s) => asked.indexOf(fakeHashes(s).sha256));
      expect(Math.min(...at)).toBeGreaterThanOrEqual(0);
      // Turn about: the flooding host and the other one, so the five are done within the first ten.
      expect(Math.max(...at)).toBeLessThan(10);
    } finally {
      delete process.env.INGEST_VT_NEW_PER_HOST_DAY;
    }
  });

  it('refuses to start without a key', async () => {
    await freshDb({});
    delete process.env.VT_API_KEY;
    resetEnvForTests();
    const runId = await runWith(1);
    await expect(startRunCheck(handle.db, runId)).rejects.toThrow(/API key/);
  });
});
