/**
 * The hash worker, as plain CommonJS source run with `new Worker(source, { eval: true })`.
 * Next.js bundles the server code, so a separate worker file would not exist at its expected path
 * after the build; a string travels with the bundle. Keep it dependency-free and ES2020.
 *
 * Message in:  { id, paths: string[], dev: string|null, ino: string|null, maxBytes: number }
 * Message out: { id, kind: 'ok', md5, sha1, sha256, size }
 *            | { id, kind: 'too-large', size }
 *            | { id, kind: 'error', code, message }
 *
 * Each path is tried in turn; an opened file whose dev/ino differ from the expected identity was
 * replaced after the scan and is skipped. The file is read ONCE in large chunks and every chunk
 * feeds all three digests.
 */
export const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

export const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');

const CHUNK = ${HASH_CHUNK_BYTES};
let buffer = null;

function failure(code, message) {
  return { kind: 'error', code: code, message: message };
}

function hashOpenFile(fd, job) {
  const st = fs.fstatSync(fd, { bigint: true });
  if (job.dev !== null && (st.dev.toString() !== job.dev || st.ino.toString() !== job.ino)) {
    return failure('ECHANGED', 'the file was replaced after it was listed');
  }
  if (!st.isFile()) return failure('ENOTFILE', 'not a regular file');
  if (Number(st.size) > job.maxBytes) return { kind: 'too-large', size: Number(st.size) };
  if (buffer === null) buffer = Buffer.allocUnsafe(CHUNK);
  const md5 = crypto.createHash('md5');
  const sha1 = crypto.createHash('sha1');
  const sha256 = crypto.createHash('sha256');
  let size = 0;
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) break;
    const chunk = n === CHUNK ? buffer : buffer.subarray(0, n);
    md5.update(chunk);
    sha1.update(chunk);
    sha256.update(chunk);
    size += n;
  }
  return {
    kind: 'ok',
    md5: md5.digest('hex'),
    sha1: sha1.digest('hex'),
    sha256: sha256.digest('hex'),
    size: size,
  };
}

function hashJob(job) {
  let last = failure('ENOENT', 'no path to read');
  for (const path of job.paths) {
    let fd;
    try {
      fd = fs.openSync(path, 'r');
    } catch (error) {
      last = failure(error.code || 'EUNKNOWN', error.message);
      continue;
    }
    try {
      const result = hashOpenFile(fd, job);
      if (result.kind !== 'error') return result;
      last = result;
    } catch (error) {
      last = failure(error.code || 'EUNKNOWN', error.message);
    } finally {
      fs.closeSync(fd);
    }
  }
  return last;
}

parentPort.on('message', function (job) {
  const result = hashJob(job);
  result.id = job.id;
  parentPort.postMessage(result);
});
`;
