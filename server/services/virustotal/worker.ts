import 'server-only';
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '@/db';
import {
  claimJob,
  completeFinishedChecks,
  extendLease,
  failJob,
  jobStillNeeded,
  pruneDemandOfJob,
  releaseJob,
  storeMd5Resolution,
  storeVerdict,
  type ClaimedJob,
} from '@/db/queries/vt';
import { logger } from '@/lib/logger';
import { backoffDelayMs, MAX_TRANSIENT_ATTEMPTS } from './backoff';
import { lookupFile } from './client';
import { workerWakers } from './queue';
import { backOffForMinute, markSent, pauseForAuth, pauseUntilMidnight, tryAcquirePermit } from './rate-limiter';
import { getVtSettings, type VtSettings } from './settings';
import type { VtLookupResult } from './types';
import { processSingleton } from '@/lib/singleton';

const isMd5 = (id: string) => /^[0-9a-f]{32}$/.test(id);

/**
 * The lookup worker: claims a queued hash, waits for a permit from the shared rate limiter, asks
 * VirusTotal once, and stores the answer. Any number of workers (in the server, in `proclens
 * worker`, in `proclens check`) can run at once: they share the queue and the quota through the
 * database. A job is leased while its worker waits, so a crash only delays it.
 */
export interface WorkerOptions {
  db: () => Promise<Db>;
  /** How long to sleep when there is nothing to do (a new check wakes it sooner). */
  idleMs?: number;
  lease?: number;
  /** Lookups in flight at once above 60/min (default 2); all share the database rate limiter. */
  concurrency?: number;
  /** Transient-failure back-off (tests shorten it). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Called after every job, for progress output. */
  onJob?: (sha256: string, outcome: VtLookupResult['kind'] | 'skipped') => void;
}

export interface WorkerHandle {
  readonly owner: string;
  wake(): void;
  stop(): Promise<void>;
}

const LEASE_MS = 120_000;
/** Never sleep longer than this between looks at the queue and the limiter. */
const MAX_NAP_MS = 5_000;
const PAUSED_NAP_MS = 30_000;
/** Requests per minute above which a worker keeps a second lookup in flight. */
const FAST_RATE = 60;

export function startVtWorker(opts: WorkerOptions): WorkerHandle {
  const owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  const idleMs = opts.idleMs ?? 2_000;
  const leaseMs = opts.lease ?? LEASE_MS;
  let stopped = false;
  const naps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const nap = {
        timer: setTimeout(() => {
          naps.delete(nap);
          resolve();
        }, ms),
        resolve,
      };
      naps.add(nap);
    });
  const wake = () => {
    for (const nap of naps) {
      clearTimeout(nap.timer);
      naps.delete(nap);
      nap.resolve();
    }
  };
  workerWakers().add(wake);

  /** Waits for a permit while holding the job: 'go' to ask VT, else why the job goes back. */
  async function awaitPermit(
    db: Db,
    job: ClaimedJob,
    claimed: VtSettings,
  ): Promise<{ go: 'go' | 'paused' | 'skip'; s: VtSettings }> {
    let s = claimed;
    let checkedAt = 0;
    for (;;) {
      if (stopped) return { go: 'skip', s };
      // After a short nap go straight for the permit: every query before it stretches the gap
      // between requests. After a long one, first make sure the job is still ours and wanted.
      if (Date.now() - checkedAt >= 1_000) {
        if (checkedAt > 0) s = await getVtSettings(db); // a rate changed meanwhile paces the next request
        if (!(await extendLease(db, job.sha256, owner, leaseMs))) return { go: 'skip', s };
        if (!(await jobStillNeeded(db, job.sha256))) {
          // Cancelled while we held it: no host waits for it now, so no turn hands it out again.
          await pruneDemandOfJob(db, job.sha256);
          return { go: 'skip', s };
        }
        checkedAt = Date.now();
      }
      const permit = await tryAcquirePermit(db, { perMinute: s.requestsPerMinute, perDay: s.requestsPerDay });
      // Straight to VirusTotal: any query here would add jitter between the permit and the request.
      // The lease was renewed under a second ago and lasts two minutes, so the job is still ours.
      if (permit.ok) return { go: 'go', s };
      if (permit.kind === 'paused') return { go: 'paused', s };
      await sleep(Math.min(permit.waitMs, MAX_NAP_MS));
    }
  }

  async function handle(db: Db, job: ClaimedJob, result: VtLookupResult, s: VtSettings): Promise<void> {
    const now = new Date();
    switch (result.kind) {
      case 'found': {
        const r = result.report;
        const verdict = {
          sha256: r.sha256,
          found: true,
          vtScore: r.vtScore,
          stats: r.stats,
          suspicious: r.suspicious,
          totalEngines: r.totalEngines,
          lastAnalysisAt: r.lastAnalysisAt,
          threatLabel: r.threatLabel,
          meaningfulName: r.meaningfulName,
          typeDescription: r.typeDescription,
          engines: r.engines,
          fetchedAt: now,
        };
        // A job keyed by an imported MD5: the answer names the file's SHA-256, which takes over.
        if (job.sha256 !== r.sha256 && isMd5(job.sha256)) {
          await storeMd5Resolution(
            db,
            job.sha256,
            { sha256: r.sha256, md5: r.md5 ?? job.sha256, sha1: r.sha1 ?? '', size: r.size ?? 0 },
            verdict,
          );
        } else {
          await storeVerdict(db, { ...verdict, sha256: job.sha256 });
        }
        return;
      }
      case 'not-found':
        await storeVerdict(db, { sha256: job.sha256, found: false, fetchedAt: now });
        return;
      case 'rate-limited':
        // Not the hash's fault: it keeps its attempts and goes back to the queue.
        if (result.daily) await pauseUntilMidnight(db, now);
        else await backOffForMinute(db, s.requestsPerMinute, now);
        await releaseJob(db, job.sha256, owner);
        logger.warn({ daily: result.daily }, 'VirusTotal rate limit answered; backing off');
        return;
      case 'auth':
        await pauseForAuth(
          db,
          `VirusTotal rejected the API key (${result.status} ${result.code}). Fix the key on the Settings page.`,
        );
        await releaseJob(db, job.sha256, owner);
        logger.error({ status: result.status, code: result.code }, 'VirusTotal rejected the API key; lookups stopped');
        return;
      case 'transient': {
        const attempts = job.attempts + 1;
        if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
          await failJob(db, job.sha256, `${result.message} (gave up after ${attempts} attempts)`, attempts);
        } else {
          await releaseJob(db, job.sha256, owner, {
            attempts,
            lastError: result.message,
            nextAttemptAt: new Date(now.getTime() + backoffDelayMs(attempts, opts.backoff)),
          });
        }
        logger.warn({ sha256: job.sha256, attempts, reason: result.message }, 'VirusTotal lookup failed; will retry');
        return;
      }
      case 'rejected':
        await failJob(db, job.sha256, result.message, job.attempts + 1);
        return;
    }
  }

  async function step(loop: number): Promise<void> {
    const db = await opts.db();
    const s = await getVtSettings(db);
    if (!s.apiKey) return sleep(idleMs);
    // Extra loops only help fast (paid) rates; at the public key's pace one lookup at a time keeps
    // a rejected key to a single request.
    if (loop > 0 && s.requestsPerMinute <= FAST_RATE) return sleep(idleMs);
    const job = await claimJob(db, owner, leaseMs, s.skipPackageVerified);
    if (!job) {
      // What is left queued may be only what the skip setting holds back: those checks are done.
      if (s.skipPackageVerified) await completeFinishedChecks(db, true);
      return sleep(idleMs);
    }
    const { go, s: latest } = await awaitPermit(db, job, s);
    if (go !== 'go' || !latest.apiKey) {
      await releaseJob(db, job.sha256, owner);
      opts.onJob?.(job.sha256, 'skipped');
      // Paused (daily quota or key): look again every so often (a new key or a new day wakes us).
      return sleep(go === 'paused' ? PAUSED_NAP_MS : idleMs);
    }
    const sentAt = new Date();
    const lookup = lookupFile(job.sha256, {
      baseUrl: latest.baseUrl,
      apiKey: latest.apiKey,
      timeoutMs: latest.timeoutMs,
    });
    await markSent(db, latest.requestsPerMinute, sentAt);
    const result = await lookup;
    await handle(db, job, result, latest);
    opts.onJob?.(job.sha256, result.kind);
  }

  const runLoop = async (loop: number) => {
    while (!stopped) {
      try {
        await step(loop);
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'VirusTotal worker step failed');
        await sleep(idleMs);
      }
    }
  };
  // Several loops keep the key's rate even when one lookup's round trip is longer than the
  // spacing: while one waits for VirusTotal, the next holds its job and waits for its permit.
  const loop = Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, (_, i) => runLoop(i)));

  return {
    owner,
    wake,
    async stop() {
      stopped = true;
      wake();
      workerWakers().delete(wake);
      await loop;
    },
  };
}

const workerSlot = processSingleton<WorkerHandle>('vt-worker');

/** The server's own worker: one per process, however often the boot code runs. */
export function ensureServerWorker(db: () => Promise<Db>): WorkerHandle {
  return workerSlot.once(() => startVtWorker({ db }));
}

export async function stopServerWorker(): Promise<void> {
  const w = workerSlot.clear();
  await w?.stop();
}
