import { parentPort } from 'node:worker_threads';
import { HASH_CHUNK_BYTES, hashJob, type WorkerReply, type WorkerRequest } from './hash-job';

/**
 * The entry of a hash worker thread (started by hash-pool.ts): one job at a time, one read buffer
 * for the thread's life.
 */
let buffer: Buffer | null = null;

parentPort?.on('message', (request: WorkerRequest) => {
  buffer ??= Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  const reply: WorkerReply = { ...hashJob(request, buffer), id: request.id };
  parentPort?.postMessage(reply);
});
