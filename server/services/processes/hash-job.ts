import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * One file hashed in one pass, as a hash worker does it (hash-worker.ts). Node's own modules only:
 * this code is compiled into the worker's entry on its own (Next, scripts/build-cli.mjs), and the
 * thread it runs in loads nothing else. No `server-only` either: a worker entry is never part of a
 * client bundle, and the pool that starts it (hash-pool.ts) imports it.
 */

/** Read size: one buffer per thread, every chunk feeds all three digests. */
export const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

export interface HashJob {
  /** Candidate paths, best first (see HashTarget.paths). */
  paths: string[];
  /** Expected identity; null skips the check (a plain file hash). */
  dev: string | null;
  ino: string | null;
  maxBytes: number;
}

export type HashReply =
  | { kind: 'ok'; md5: string; sha1: string; sha256: string; size: number }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; code: string; message: string };

/** What the pool posts to a worker and what comes back: the job and its reply, with the job's id. */
export type WorkerRequest = HashJob & { id: number };
export type WorkerReply = HashReply & { id: number };

const failure = (code: string, message: string): HashReply => ({ kind: 'error', code, message });

function failureOf(error: unknown): HashReply {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return failure(code || 'EUNKNOWN', error instanceof Error ? error.message : String(error));
}

/** An opened file whose dev/ino differ from the listed identity was replaced after the scan. */
function hashOpenFile(fd: number, job: HashJob, buffer: Buffer): HashReply {
  const st = fs.fstatSync(fd, { bigint: true });
  if (job.dev !== null && (st.dev.toString() !== job.dev || st.ino.toString() !== job.ino)) {
    return failure('ECHANGED', 'the file was replaced after it was listed');
  }
  if (!st.isFile()) return failure('ENOTFILE', 'not a regular file');
  if (Number(st.size) > job.maxBytes) return { kind: 'too-large', size: Number(st.size) };
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
    md5.update(chunk);
    sha1.update(chunk);
    sha256.update(chunk);
    size += n;
  }
  return { kind: 'ok', md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), size };
}

/** Tries each path in turn; the file is read once, in `buffer`-sized chunks. */
export function hashJob(job: HashJob, buffer: Buffer): HashReply {
  let last = failure('ENOENT', 'no path to read');
  for (const path of job.paths) {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (error) {
      last = failureOf(error);
      continue;
    }
    try {
      const result = hashOpenFile(fd, job, buffer);
      if (result.kind !== 'error') return result;
      last = result;
    } catch (error) {
      last = failureOf(error);
    } finally {
      fs.closeSync(fd);
    }
  }
  return last;
}
