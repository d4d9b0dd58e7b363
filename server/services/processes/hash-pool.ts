import 'server-only';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CTRL_ABANDON, CTRL_CONSUMED, CTRL_PRODUCED, WORKER_SOURCE } from './hash-worker-source';
import { combine, newRing, SPLIT_SHARE, toResult, type Part, type Ring, type WorkerReply } from './hash-split';
import type { FileHashes } from './types';

/**
 * Worker threads that hash files off the main thread (a 2 GB executable must not freeze the web
 * server). Workers are created on first use (or up front by prewarm), kept between collections, and hold the event loop only while
 * they have a job: an idle pool never keeps a CLI alive, a busy one never lets it exit mid-hash.
 */

export interface HashJob {
  /** Candidate paths, best first (see HashTarget.paths). */
  paths: string[];
  /** Expected identity; null skips the check (a plain file hash). */
  dev: string | null;
  ino: string | null;
  maxBytes: number;
  /** Size from the scan, when known: a big file may be split across two free workers. */
  size?: number;
}

export type HashJobResult =
  | { kind: 'ok'; hashes: FileHashes }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; code: string; message: string };

/**
 * Files at least this big may be hashed by two workers together (see #pump and
 * hash-worker-source). Smaller files gain nothing from it: they end quickly on any worker.
 */
export const SPLIT_MIN_BYTES = 16 * 1024 * 1024;

/** ~2.8 ms per MB for MD5 + SHA-1 + SHA-256 on one thread, until a big file has been timed. */
const DEFAULT_MS_PER_BYTE = 2.8 / (1024 * 1024);
const SPEED_SAMPLE_MIN_BYTES = 4 * 1024 * 1024;

interface Pending {
  id: number;
  job: HashJob;
  resolve: (result: HashJobResult) => void;
  cleanup: () => void;
  settled: boolean;
}

/** One file shared by two workers; settled when both halves have answered, or when one dies. */
interface Split extends Ring {
  halves: Partial<Record<Part, WorkerReply>>;
  running: number;
  broken: boolean;
}

interface Assignment {
  pending: Pending;
  part: Part;
  split: Split | null;
  /** performance.now() at dispatch. */
  startedAt: number;
}

interface Slot {
  worker: Worker | null;
  current: Assignment | null;
  retired: boolean;
}

const CLOSED: HashJobResult = { kind: 'error', code: 'EPOOLCLOSED', message: 'hash pool is shut down' };
const ABORTED: HashJobResult = { kind: 'error', code: 'ABORT_ERR', message: 'aborted' };

export class HashPool {
  readonly #source: string;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  /** Rings of finished split jobs, reused by the next (a few MB each). */
  #rings: Ring[] = [];
  #nextId = 1;
  #closed = false;
  /** Time one worker takes per byte of a whole file (three digests), measured on big files. */
  #msPerByte = DEFAULT_MS_PER_BYTE;
  #splitJobs = 0;
  #pumpQueued = false;

  /** `source` is replaceable so tests can inject a worker that crashes. */
  constructor(size: number, source: string = WORKER_SOURCE) {
    this.#source = source;
    this.resize(size);
  }

  get size(): number {
    return this.#slots.filter((s) => !s.retired).length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** How many files were split between two workers so far. */
  get splitJobs(): number {
    return this.#splitJobs;
  }

  /** Workers with a job (a split job counts twice): 0 once every answer is in. */
  get busyWorkers(): number {
    return this.#slots.filter((s) => s.current !== null).length;
  }

  /** Grows at once; shrinks by stopping idle workers now and busy ones after their current file. */
  resize(size: number): void {
    const target = Math.max(1, Math.floor(size));
    let active = this.#slots.filter((s) => !s.retired);
    while (active.length < target) {
      const slot: Slot = { worker: null, current: null, retired: false };
      this.#slots.push(slot);
      active = [...active, slot];
    }
    for (const slot of active.slice(target)) {
      slot.retired = true;
      if (slot.current === null) this.#remove(slot);
    }
    this.#pump();
  }

  /**
   * Starts every worker now: a worker thread takes about 0.1 s to boot, which a short-lived CLI can
   * overlap with its own start-up and the process scan. Idle workers stay unref'd.
   */
  prewarm(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) if (!slot.retired && slot.worker === null) this.#spawn(slot).unref();
  }

  run(job: HashJob, signal?: AbortSignal): Promise<HashJobResult> {
    if (this.#closed) return Promise.resolve(CLOSED);
    if (signal?.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve) => {
      const pending: Pending = { id: this.#nextId++, job, resolve, cleanup: () => undefined, settled: false };
      if (signal) {
        // A queued job is dropped on abort; a job already reading finishes and is ignored upstream.
        const onAbort = (): void => {
          const index = this.#queue.indexOf(pending);
          if (index < 0) return;
          this.#queue.splice(index, 1);
          this.#settle(pending, ABORTED);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(pending);
      // Dispatch after the caller's loop: files queued together are scheduled together.
      if (!this.#pumpQueued) {
        this.#pumpQueued = true;
        queueMicrotask(() => {
          this.#pumpQueued = false;
          this.#pump();
        });
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) this.#settle(pending, CLOSED);
    const workers: Worker[] = [];
    for (const slot of this.#slots) {
      const current = slot.current;
      if (current) {
        if (current.split) this.#abandon(current.split);
        this.#settle(current.pending, CLOSED);
      }
      slot.current = null;
      if (slot.worker) workers.push(slot.worker);
      slot.worker = null;
    }
    this.#slots = [];
    this.#rings = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #settle(pending: Pending, result: HashJobResult): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.cleanup();
    pending.resolve(result);
  }

  /**
   * Whole files keep every worker busy on its own (no coupling, which a loaded machine punishes);
   * only the last big file is split, so the pass does not end on one worker reading it alone.
   * E.g. three equal big files on two workers: two whole, then the third on both, 1.55 files' time.
   */
  #pump(): void {
    while (this.#queue.length > 0) {
      const free = this.#slots.filter((s) => s.current === null && !s.retired);
      const [first, second] = free;
      if (!first) return;
      const index = second ? 0 : this.#nextForLoneWorker();
      if (index < 0) return;
      const pending = this.#queue.splice(index, 1)[0] as Pending;
      const { job, id } = pending;
      if (second && splittable(job) && !this.#queue.some((p) => splittable(p.job))) {
        const ring = this.#rings.pop() ?? newRing();
        const split: Split = { ...ring, halves: {}, running: 2, broken: false };
        const shared = { id, ring: ring.ring, ctrl: ring.ctrl.buffer };
        const startedAt = performance.now();
        this.#splitJobs++;
        this.#assign(first, { pending, part: 'leader', split, startedAt }, { ...job, ...shared, part: 'leader' });
        this.#assign(second, { pending, part: 'follower', split, startedAt }, { ...shared, part: 'follower' });
      } else {
        const assignment = { pending, part: 'whole', split: null, startedAt: performance.now() } as const;
        this.#assign(first, assignment, { ...job, id, part: 'whole' });
      }
    }
  }

  /**
   * With one worker free: the index of the job to hash whole there, or -1 to wait. A big file waits
   * (the worker takes a small one meanwhile, if any) when another worker will be free before it
   * could read 45% of that file: split between the two, it then ends sooner than read whole.
   */
  #nextForLoneWorker(): number {
    const head = (this.#queue[0] as Pending).job;
    if (!splittable(head)) return 0;
    const now = performance.now();
    const soonest = Math.min(...this.#slots.map((s) => (s.retired ? Infinity : this.#remainingMs(s.current, now))));
    if (soonest >= 0.45 * (head.size ?? 0) * this.#msPerByte) return 0;
    const small = this.#queue.findIndex((p) => !splittable(p.job));
    return small;
  }

  /** Estimated time until a busy worker is free, from the job's size and the measured speed. */
  #remainingMs(current: Assignment | null, now: number): number {
    if (current === null) return Infinity; // the lone free worker itself
    const { size } = current.pending.job;
    if (current.split?.running === 1) return 0;
    if (size === undefined) return Infinity;
    const share = current.split ? SPLIT_SHARE : 1;
    return Math.max(0, size * this.#msPerByte * share - (now - current.startedAt));
  }

  #assign(slot: Slot, assignment: Assignment, message: object): void {
    const worker = slot.worker ?? this.#spawn(slot);
    slot.current = assignment;
    worker.ref();
    worker.postMessage(message);
  }

  #spawn(slot: Slot): Worker {
    const worker = new Worker(this.#source, { eval: true });
    slot.worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      const current = slot.current;
      if (slot.worker !== worker || current === null || current.pending.id !== reply.id || current.part !== reply.part)
        return;
      slot.current = null;
      worker.unref();
      this.#answered(current, reply);
      if (slot.retired) this.#remove(slot);
      this.#pump();
    });
    worker.on('error', (error: Error) => this.#crash(slot, worker, error.message));
    worker.on('exit', (code: number) => this.#crash(slot, worker, `exited with code ${code}`));
    return worker;
  }

  #answered({ pending, part, split, startedAt }: Assignment, reply: WorkerReply): void {
    if (split === null) {
      const { size } = pending.job;
      if (reply.kind === 'ok' && size !== undefined && size >= SPEED_SAMPLE_MIN_BYTES)
        this.#msPerByte = 0.5 * this.#msPerByte + (0.5 * (performance.now() - startedAt)) / size;
      return this.#settle(pending, toResult(reply));
    }
    split.halves[part] = reply;
    split.running--;
    if (split.running > 0 || split.broken) return;
    this.#settle(pending, combine(split.halves.leader, split.halves.follower));
    // Both halves are done with the ring: it can carry the next split job.
    if (!this.#closed) {
      split.ctrl.fill(0);
      this.#rings.push({ ring: split.ring, ctrl: split.ctrl });
    }
  }

  /** Wakes the surviving half of a split job, which then gives up on its file and answers. */
  #abandon(split: Split): void {
    split.broken = true;
    Atomics.store(split.ctrl, CTRL_ABANDON, 1);
    Atomics.notify(split.ctrl, CTRL_PRODUCED);
    Atomics.notify(split.ctrl, CTRL_CONSUMED);
  }

  /**
   * The file being read fails alone (both halves of a split one); the slot gets a fresh worker on
   * its next job.
   */
  #crash(slot: Slot, worker: Worker, reason: string): void {
    if (slot.worker !== worker) return; // already handled, or terminated on purpose
    slot.worker = null;
    const current = slot.current;
    slot.current = null;
    void worker.terminate();
    if (current) {
      if (current.split) {
        current.split.running--;
        this.#abandon(current.split);
      }
      this.#settle(current.pending, { kind: 'error', code: 'EWORKER', message: `hash worker crashed: ${reason}` });
    }
    if (slot.retired) this.#remove(slot);
    this.#pump();
  }

  #remove(slot: Slot): void {
    this.#slots = this.#slots.filter((s) => s !== slot);
    const worker = slot.worker;
    slot.worker = null;
    if (worker) void worker.terminate();
  }
}

function splittable(job: HashJob): boolean {
  return (job.size ?? 0) >= SPLIT_MIN_BYTES;
}

/** HASH_WORKERS=0 means one per core, at most 4 (more rarely helps: reading is the bottleneck). */
export function resolveWorkerCount(requested: number): number {
  if (Number.isFinite(requested) && requested >= 1) return Math.floor(requested);
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

// On globalThis so that a module evaluated twice (Next.js dev reloads, route + tRPC bundles) shares one pool.
const g = globalThis as unknown as { __proclensHashPool?: HashPool };

export function getHashPool(workers: number): HashPool {
  const size = resolveWorkerCount(workers);
  const existing = g.__proclensHashPool;
  if (existing && !existing.closed) {
    if (existing.size !== size) existing.resize(size);
    return existing;
  }
  g.__proclensHashPool = new HashPool(size);
  return g.__proclensHashPool;
}

/**
 * The process-wide pool with its workers already booting (see HashPool.prewarm). Callable before
 * the settings are read: the default size (HASH_WORKERS=0) is used, and the first collection
 * resizes the pool to its own setting.
 */
export function prewarmHashPool(workers = 0): void {
  getHashPool(workers).prewarm();
}

export async function shutdownHashPool(): Promise<void> {
  const pool = g.__proclensHashPool;
  delete g.__proclensHashPool;
  await pool?.close();
}
