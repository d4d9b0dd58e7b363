import { createFakeVt } from '@/e2e/fake-vt/server';
import { ingestSnapshot } from '@/server/services/runs';
import { runCheckStatus, startRunCheck, startVtWorker, type WorkerHandle } from '@/server/services/virustotal';
import { spacingMs } from '@/server/services/virustotal/rate-limiter';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { removeDir, tempDir } from './cleanup';
import type { Benchmark } from './context';
import { line } from './report';
import { median, pollUntil, round } from './stats';

/**
 * VirusTotal pacing against the in-process fake (which enforces its own quota, so "0 × 429" is the
 * fake's word), on a throwaway PGlite data dir, with one worker and the app's DB rate limiter.
 */
const PER_MINUTE = 600;
const DISTINCT = 60;

export const vtBench: Benchmark = {
  name: 'vt',
  about: `VirusTotal pacing at ${PER_MINUTE}/min against the fake: achieved rate, 429s, requests per hash`,
  async run(ctx) {
    const fake = await createFakeVt({ perMinute: PER_MINUTE, perDay: 100_000 });
    const dataDir = tempDir('proclens-bench-vt-');
    const saved = { ...process.env };
    let worker: WorkerHandle | null = null;
    try {
      Object.assign(process.env, {
        VT_BASE_URL: fake.url,
        VT_API_KEY: fake.apiKey,
        VT_REQUESTS_PER_MINUTE: String(PER_MINUTE),
        VT_REQUESTS_PER_DAY: '100000',
        VT_TIMEOUT_MS: '5000',
      });
      const handle = await openTestDb({ dataDir });
      const db = handle.db;
      const runId = await ingestSnapshot(db, makeSnapshot({ n: DISTINCT * 2, distinct: DISTINCT }), 'cli');
      const done = () =>
        pollUntil(
          async () => {
            const s = await runCheckStatus(db, runId);
            return s.check && s.check.status !== 'active' ? s : null;
          },
          'the check to finish',
          60_000,
          20,
        );

      const counts = await startRunCheck(db, runId);
      const t0 = performance.now();
      worker = startVtWorker({ db: async () => db, idleMs: 50 });
      const first = await done();
      const wallMs = performance.now() - t0;
      const log = fake.requestLog();
      const lookups = log.length;
      const tooMany = log.filter((r) => r.status === 429).length;
      const times = log.map((r) => r.at);
      const spanMs = Math.max(...times) - Math.min(...times);
      const sorted = [...times].sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((t, i) => t - (sorted[i] as number));
      // The brief's formula: requests / (last − first) × 60 s. With n requests there are n−1 gaps,
      // so the strict figure (n−1)/span is also kept; both are in bench-results.json.
      const rate = (lookups / spanMs) * 60_000;
      const strictRate = ((lookups - 1) / spanMs) * 60_000;

      const before = fake.requests();
      const second = await startRunCheck(db, runId);
      const secondStatus = await done();
      const secondRequests = fake.requests() - before;

      ctx.details.vt = {
        configuredPerMinute: PER_MINUTE,
        spacingMs: spacingMs(PER_MINUTE),
        enqueued: counts,
        requests: lookups,
        status429: tooMany,
        spanMs,
        gapsMs: { min: Math.min(...gaps), median: median(gaps), max: Math.max(...gaps), all: gaps },
        wallMs: round(wallMs, 0),
        achievedPerMinute: round(rate, 1),
        achievedPerMinuteStrict: round(strictRate, 1),
        firstPass: { checked: first.checked, failed: first.failed, requestsMade: first.check?.requestsMade },
        secondPass: { enqueued: second, requests: secondRequests, status: secondStatus.check?.status },
      };
      const perHash = `${counts.uncached} uncached of ${counts.total} distinct`;
      return [
        line({
          bench: 'vt',
          name: 'VirusTotal pacing: achieved rate',
          figure: { value: rate, unit: 'req/min' },
          baseline: { value: PER_MINUTE, unit: 'req/min', label: 'configured' },
          target: { on: 'ratio', op: '>=', value: 0.95 },
          note:
            `${lookups} requests over ${round(spanMs / 1000, 2)} s (first→last); counting n−1 gaps: ${round(strictRate, 0)}/min ` +
            `(${round((strictRate / PER_MINUTE) * 100, 1)} %); the limiter spaces requests ${spacingMs(PER_MINUTE)} ms apart ` +
            `(60 s/rate + a 1 % margin), so the ceiling is ${round(60_000 / spacingMs(PER_MINUTE), 0)}/min; ` +
            `measured gaps: median ${round(median(gaps), 1)} ms, min ${round(Math.min(...gaps), 0)}, max ${round(Math.max(...gaps), 0)}`,
        }),
        line({
          bench: 'vt',
          name: 'VirusTotal pacing: 429 answers',
          figure: { value: tooMany, unit: '' },
          baseline: null,
          target: { on: 'figure', op: '==', value: 0, label: '= 0' },
          note: `fake VirusTotal enforcing ${PER_MINUTE}/min over a sliding 60 s window`,
        }),
        line({
          bench: 'vt',
          name: 'VirusTotal: requests per distinct uncached hash',
          figure: { value: lookups, unit: 'requests' },
          baseline: { value: counts.uncached, unit: 'hashes', label: perHash },
          target: { on: 'ratio', op: '==', value: 1, label: '= 1×' },
        }),
        line({
          bench: 'vt',
          name: 'VirusTotal: second pass over the same run',
          figure: { value: secondRequests, unit: 'requests' },
          baseline: null,
          target: { on: 'figure', op: '==', value: 0, label: '= 0' },
          note: `all ${second.total} hashes cached (uncached ${second.uncached}); check ${secondStatus.check?.status}`,
        }),
      ];
    } finally {
      await worker?.stop();
      await closeTestDb();
      await fake.close();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      removeDir(dataDir);
    }
  },
};
