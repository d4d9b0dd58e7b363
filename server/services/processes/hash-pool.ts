import 'server-only';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashJob, WorkerReply, WorkerRequest } from './hash-job';
import { hashWorkerFromSource, runsFromSource } from './hash-worker-from-source';
import type { FileHashes } from './types';
import { processSingleton } from '@/lib/singleton';

/**
 * Worker threads that hash files off the main thread (a 2 GB executable must not freeze the web
 * server). Workers are created lazily, kept between collections, and hold the event loop only while
 * they have a job: an idle pool never keeps a CLI alive, a busy one never lets it exit mid-hash.
 */

export type { HashJob } from './hash-job';

export type HashJobResult =
  | { kind: 'ok'; hashes: FileHashes }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; code: string; message: string };

interface Pending {
  id: number;
  job: HashJob;
  resolve: (result: HashJobResult) => void;
  cleanup: () => void;
}

interface Slot {
  worker: Worker | null;
  current: Pending | null;
  retired: boolean;
}

const CLOSED: HashJobResult = { kind: 'error', code: 'EPOOLCLOSED', message: 'hash pool is shut down' };
const ABORTED: HashJobResult = { kind: 'error', code: 'ABORT_ERR', message: 'aborted' };

function toResult(reply: WorkerReply): HashJobResult {
  switch (reply.kind) {
    case 'ok':
      return {
        kind: 'ok',
        hashes: { md5: reply.md5, sha1: reply.sha1, sha256: reply.sha256, size: reply.size },
      };
    case 'too-large':
      return { kind: 'too-large', size: reply.size };
    default:
      return { kind: 'error', code: reply.code, message: reply.message };
  }
}

/**
 * Starts one hash worker thread. Next (Turbopack) and scripts/build-cli.mjs compile hash-worker.ts
 * as a worker entry of its own and point this URL at the compiled file; run from sources, the
 * worker is compiled in memory (hash-worker-from-source.ts).
 */
export function spawnHashWorker(): Worker {
  if (runsFromSource(import.meta.url)) return new Worker(hashWorkerFromSource(), { eval: true });
  return new Worker(new URL('./hash-worker.ts', import.meta.url));
}

export class HashPool {
  readonly #spawnWorker: () => Worker;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  /** `spawnWorker` is replaceable so tests can inject a worker that crashes. */
  constructor(size: number, spawnWorker: () => Worker = spawnHashWorker) {
    this.#spawnWorker = spawnWorker;
    this.resize(size);
  }

  get size(): number {
    return this.#slots.filter((s) => !s.retired).length;
  }

  get closed(): boolean {
    return this.#closed;
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

  /** Boots every worker now, unreferenced: a CLI that will hash overlaps their start with its own. */
  prewarm(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) if (!slot.retired && slot.worker === null) this.#spawn(slot).unref();
  }

  run(job: HashJob, signal?: AbortSignal): Promise<HashJobResult> {
    if (this.#closed) return Promise.resolve(CLOSED);
    if (signal?.aborted) return Promise.resolve(ABORTED);
    return new Promise((resolve) => {
      const pending: Pending = { id: this.#nextId++, job, resolve, cleanup: () => undefined };
      if (signal) {
        // A queued job is dropped on abort; a job already reading finishes and is ignored upstream.
        const onAbort = (): void => {
          const index = this.#queue.indexOf(pending);
          if (index < 0) return;
          this.#queue.splice(index, 1);
          resolve(ABORTED);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(pending);
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) this.#finish(pending, CLOSED);
    const workers: Worker[] = [];
    for (const slot of this.#slots) {
      if (slot.current) this.#finish(slot.current, CLOSED);
      slot.current = null;
      if (slot.worker) workers.push(slot.worker);
      slot.worker = null;
    }
    this.#slots = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #finish(pending: Pending, result: HashJobResult): void {
    pending.cleanup();
    pending.resolve(result);
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.current !== null || slot.retired) continue;
      const pending = this.#queue.shift() as Pending;
      const worker = slot.worker ?? this.#spawn(slot);
      slot.current = pending;
      worker.ref();
      const request: WorkerRequest = { id: pending.id, ...pending.job };
      worker.postMessage(request);
    }
  }

  #spawn(slot: Slot): Worker {
    const worker = this.#spawnWorker();
    slot.worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      const pending = slot.current;
      if (slot.worker !== worker || pending === null || pending.id !== reply.id) return;
      slot.current = null;
      worker.unref();
      this.#finish(pending, toResult(reply));
      if (slot.retired) this.#remove(slot);
      this.#pump();
    });
    worker.on('error', (error: Error) => this.#crash(slot, worker, error.message));
    worker.on('exit', (code: number) => this.#crash(slot, worker, `exited with code ${code}`));
    return worker;
  }

  /** The file being read fails alone; the slot gets a fresh worker on its next job. */
  #crash(slot: Slot, worker: Worker, reason: string): void {
    if (slot.worker !== worker) return; // already handled, or terminated on purpose
    slot.worker = null;
    const pending = slot.current;
    slot.current = null;
    void worker.terminate();
    if (pending) this.#finish(pending, { kind: 'error', code: 'EWORKER', message: `hash worker crashed: ${reason}` });
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

/** HASH_WORKERS=0 means one per core, at most 4 (more rarely helps: reading is the bottleneck). */
export function resolveWorkerCount(requested: number): number {
  if (Number.isFinite(requested) && requested >= 1) return Math.floor(requested);
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

// One pool per process, however often the bundler evaluates this module (route + tRPC bundles).
const poolSlot = processSingleton<HashPool>('hash-pool');

export function getHashPool(workers: number): HashPool {
  const size = resolveWorkerCount(workers);
  const existing = poolSlot.get();
  if (existing && !existing.closed) {
    if (existing.size !== size) existing.resize(size);
    return existing;
  }
  return poolSlot.set(new HashPool(size));
}

/** Starts the shared pool's workers ahead of a collection that will read every executable. */
export function prewarmHashPool(workers = 0): void {
  getHashPool(workers).prewarm();
}

export async function shutdownHashPool(): Promise<void> {
  const pool = poolSlot.clear();
  await pool?.close();
}
