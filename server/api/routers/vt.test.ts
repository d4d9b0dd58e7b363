import { beforeAll, describe, expect, it } from 'vitest';
import { failJob, storeVerdict } from '@/db/queries/vt';
import { readQuota } from '@/db/queries/vt-quota';
import type { DbHandle } from '@/db';
import { ingestSnapshot } from '@/server/services/runs';
import { backOffForMinute, markSent, spacingMs, tryAcquirePermit } from '@/server/services/virustotal/rate-limiter';
import { callerFor, rejection } from '@/tests/caller';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { insertRunningRun, setUpRouterDb } from '@/tests/router-db';

/**
 * The VirusTotal procedures through the server caller. No lookup is ever made: the worker is off
 * and the base URL points at a closed local port; verdicts are stored directly.
 */
describe('vt router', () => {
  let handle: DbHandle;
  let runId: number;
  let runningId: number;
  const api = () => callerFor();
  const KEY = 'k'.repeat(60) + 'WXYZ';

  const routerDb = setUpRouterDb({ VT_BASE_URL: 'http://127.0.0.1:9', VT_API_KEY: undefined });

  beforeAll(async () => {
    handle = routerDb();
    runId = await ingestSnapshot(handle.db, makeSnapshot({ n: 4, distinct: 2 }), 'cli');
    runningId = await insertRunningRun(handle);
  });

  it('settings: the defaults, and never the key', async () => {
    const s = await api().vt.settings();
    expect(s).toMatchObject({
      keyConfigured: false,
      keyHint: null,
      requestsPerMinute: 4,
      requestsPerDay: 500,
      maliciousThreshold: 2,
    });
    expect(s.usesRealVirusTotal).toBe(false);
  });

  it('updateSettings: changes only what is sent; out-of-range values are sentences naming the field', async () => {
    const s = await api().vt.updateSettings({ requestsPerMinute: 30, cacheTtlDays: 1.5 });
    expect(s).toMatchObject({ requestsPerMinute: 30, requestsPerDay: 500, cacheTtlDays: 1.5 });

    const message = await rejection(
      api().vt.updateSettings({ requestsPerMinute: 0, maliciousThreshold: 2.5 }),
      'BAD_REQUEST',
    );
    expect(message).toMatch(/requestsPerMinute: /);
    expect(message).toMatch(/maliciousThreshold: /);
    expect((await api().vt.settings()).requestsPerMinute).toBe(30);
  });

  it('check: PRECONDITION_FAILED with a sentence while no API key is set', async () => {
    const message = await rejection(api().vt.check({ runId }), 'PRECONDITION_FAILED');
    expect(message).toMatch(/API key/);
  });

  it("setApiKey: bad keys are refused with the Settings page's sentences; a good one comes back as a hint only", async () => {
    expect(await rejection(api().vt.setApiKey({ apiKey: 'short' }), 'BAD_REQUEST')).toBe(
      'apiKey: That is too short to be a VirusTotal API key.',
    );
    expect(await rejection(api().vt.setApiKey({ apiKey: 'has a space in it' }), 'BAD_REQUEST')).toBe(
      'apiKey: An API key has no spaces or special characters.',
    );
    const s = await api().vt.setApiKey({ apiKey: `  ${KEY}  ` });
    expect(s).toMatchObject({ keyConfigured: true, keyHint: '••••WXYZ' });
    expect(JSON.stringify(s)).not.toContain(KEY);
  });

  it('check, status, cancel: NOT_FOUND for a run that does not exist; CONFLICT for one still collecting', async () => {
    for (const call of [
      api().vt.check({ runId: 424_242 }),
      api().vt.status({ runId: 424_242 }),
      api().vt.cancel({ runId: 424_242 }),
      api().vt.retryFailed({ runId: 424_242 }),
    ]) {
      expect(await rejection(call, 'NOT_FOUND')).toBe('Run 424242 does not exist.');
    }
    expect(await rejection(api().vt.check({ runId: runningId }), 'CONFLICT')).toBe(
      `Run ${runningId} has not completed; it has no hashes to check yet.`,
    );
    expect(await rejection(api().vt.retryFailed({ runId: runningId }), 'CONFLICT')).toMatch(/has not completed/);
  });

  it("check → status → cancel: the run's hashes are queued, counted, and the check can be cancelled", async () => {
    const queued = await api().vt.check({ runId });
    expect(queued).toEqual({ total: 2, uncached: 2, skipped: 0 });
    const status = await api().vt.status({ runId });
    expect(status.total).toBe(2);
    expect(status.check?.status).toBe('active');
    expect(await api().vt.cancel({ runId })).toEqual({ cancelled: true });
    expect((await api().vt.status({ runId })).check?.status).toBe('cancelled');
  });

  it("a stored verdict shows in the run's rows, decided with the threshold in force; engines lists its engines", async () => {
    const { sha256 } = fakeHashes('exe-0');
    await storeVerdict(handle.db, {
      sha256,
      found: true,
      vtScore: 5,
      totalEngines: 70,
      threatLabel: 'trojan.test',
      engines: [
        {
          engine: 'Eng',
          category: 'malicious',
          result: 'Trojan',
          engineVersion: null,
          engineUpdate: null,
          method: null,
        },
      ],
      fetchedAt: new Date(),
    });
    const row = (await api().runs.executables({ runId })).find((r) => r.sha256 === sha256);
    expect(row?.vt).toMatchObject({ state: 'checked', vtScore: 5, verdict: 'malicious' });
    await api().vt.updateSettings({ maliciousThreshold: 10 });
    const again = (await api().runs.executables({ runId })).find((r) => r.sha256 === sha256);
    expect(again?.vt).toMatchObject({ state: 'checked', verdict: 'needs-research' });

    expect(await api().vt.engines({ sha256 })).toEqual([
      expect.objectContaining({ engine: 'Eng', category: 'malicious' }),
    ]);
    expect(await api().vt.engines({ sha256: 'f'.repeat(64) })).toEqual([]);
    expect(await rejection(api().vt.engines({ sha256: 'XYZ' }), 'BAD_REQUEST')).toBe(
      'sha256: sha256 must be 64 lowercase hex digits',
    );
  });

  it('retryFailed: failed lookups of the run are queued again', async () => {
    await api().vt.check({ runId, force: true });
    const { sha256 } = fakeHashes('exe-1');
    await failJob(handle.db, sha256, 'VirusTotal answered 500', 3);
    expect((await api().vt.status({ runId })).failed).toBe(1);
    expect(await api().vt.retryFailed({ runId })).toEqual({ requeued: 1 });
    expect((await api().vt.status({ runId })).failed).toBe(0);
  });

  it('quota: the shared counters and limits', async () => {
    const q = await api().vt.quota();
    expect(q).toMatchObject({ requestsToday: 0, dailyLimit: 500, perMinute: 30, paused: null });
  });

  it('updateSettings: a raised per-minute rate re-times the next request from the last send; a lowered one waits for the next; a 429 back-off stays', async () => {
    const slot = async () => (await readQuota(handle.db))!.nextAllowedAt.getTime();
    await api().vt.updateSettings({ requestsPerMinute: 1 });
    const permitAt = new Date();
    expect(await tryAcquirePermit(handle.db, { perMinute: 1, perDay: 500 }, permitAt)).toEqual({ ok: true });
    const sentAt = permitAt.getTime() + 40;
    await markSent(handle.db, 1, new Date(sentAt));
    expect(await slot()).toBe(sentAt + spacingMs(1));

    // A paid key: the next request need not wait out the old minute.
    await api().vt.updateSettings({ requestsPerMinute: 600 });
    expect(await slot()).toBe(sentAt + spacingMs(600));
    // Lowered again: the slot already set stays; the new gap counts from the next request.
    await api().vt.updateSettings({ requestsPerMinute: 4 });
    expect(await slot()).toBe(sentAt + spacingMs(600));
    await markSent(handle.db, 4, new Date(sentAt + 300));
    expect(await slot()).toBe(sentAt + 300 + spacingMs(4));

    // After a 429 the pause is not a gap between requests: a new rate leaves it alone.
    await backOffForMinute(handle.db, 4, new Date(sentAt + 500));
    const pausedTo = await slot();
    await api().vt.updateSettings({ requestsPerMinute: 30 });
    expect(await slot()).toBe(pausedTo);
  });

  it('removeApiKey: the key is gone and checks need one again', async () => {
    expect(await api().vt.removeApiKey()).toMatchObject({ keyConfigured: false, keyHint: null });
    await rejection(api().vt.check({ runId }), 'PRECONDITION_FAILED');
  });

  it('system.info: the database mode', async () => {
    expect(await api().system.info()).toMatchObject({ dbMode: 'pglite' });
  });
});
