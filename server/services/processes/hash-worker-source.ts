/**
 * The hash worker, as plain CommonJS source run with `new Worker(source, { eval: true })`.
 * Next.js bundles the server code, so a separate worker file would not exist at its expected path
 * after the build; a string travels with the bundle. Keep it dependency-free and ES2020.
 *
 * A file is read ONCE, in large chunks, and every chunk feeds all three digests. A job is either
 * whole (one worker: read, MD5, SHA-1, SHA-256) or one half of a split job, which two workers share
 * so that one big file does not bound a collection on one core:
 * - the leader opens and checks the file, reads each chunk into a slot of a ring of shared memory,
 *   publishes it, and computes SHA-1 + SHA-256 (reading and those two cost about what MD5 alone does);
 * - the follower computes MD5 of the same slots, in order, and frees each slot when done.
 *
 * Messages in:  { id, part: 'whole', paths: string[], dev: string|null, ino: string|null, maxBytes }
 *             | { id, part: 'leader', paths, dev, ino, maxBytes, ring: SharedArrayBuffer, ctrl: SharedArrayBuffer }
 *             | { id, part: 'follower', ring, ctrl }
 * Messages out: { id, part, kind: 'ok', md5?, sha1?, sha256?, size }  (a half sends its own digests)
 *             | { id, part, kind: 'too-large', size }
 *             | { id, part, kind: 'error', code, message }
 *
 * Each path is tried in turn; an opened file whose dev/ino differ from the expected identity was
 * replaced after the scan and is skipped.
 */
export const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The ring of a split job: SPLIT_SLOTS slots of SPLIT_SLOT_BYTES in `ring`, and an Int32Array over
 * `ctrl`: the number of slots published by the leader, the number consumed by the follower, an
 * "abandon" flag the pool raises when a partner is gone (crash, close), then one length per slot.
 * A slot length > 0 is data; 0 ends the file; RESET means the leader starts over on another path
 * (the follower drops what it has); FAILED means the leader ends without a digest.
 */
export const SPLIT_SLOTS = 8;
export const SPLIT_SLOT_BYTES = 2 * 1024 * 1024;
export const CTRL_PRODUCED = 0;
export const CTRL_CONSUMED = 1;
export const CTRL_ABANDON = 2;
export const CTRL_LENGTHS = 3;
export const CTRL_INTS = CTRL_LENGTHS + SPLIT_SLOTS;
/**
 * How long a half waits for its partner without any progress before giving up. The pool raises
 * the abandon flag the moment a partner dies, so this only bounds a partner stuck in a read.
 */
export const SPLIT_STALL_MS = 120_000;

export const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');

const CHUNK = ${HASH_CHUNK_BYTES};
const SLOTS = ${SPLIT_SLOTS};
const SLOT_BYTES = ${SPLIT_SLOT_BYTES};
const PRODUCED = ${CTRL_PRODUCED};
const CONSUMED = ${CTRL_CONSUMED};
const ABANDON = ${CTRL_ABANDON};
const LENGTHS = ${CTRL_LENGTHS};
const STALL_MS = ${SPLIT_STALL_MS};
const END = 0;
const RESET = -1;
const FAILED = -2;
// Short waits, so a terminate() or an abandon flag is seen promptly even without a notify.
const WAIT_SLICE_MS = 50;
let buffer = null;

function failure(code, message) {
  return { kind: 'error', code: code, message: message };
}

class Abandoned extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Waits until ready(ctrl[index]); throws when the partner is gone (abandon flag) or stuck. */
function waitUntil(ctrl, index, ready) {
  let deadline = Date.now() + STALL_MS;
  for (;;) {
    const value = Atomics.load(ctrl, index);
    if (ready(value)) return value;
    if (Atomics.load(ctrl, ABANDON) !== 0) throw new Abandoned('EPARTNER', 'the other half of a split hash stopped');
    Atomics.wait(ctrl, index, value, WAIT_SLICE_MS);
    if (Atomics.load(ctrl, index) !== value) deadline = Date.now() + STALL_MS;
    else if (Date.now() > deadline) throw new Abandoned('ESTALL', 'the other half of a split hash made no progress');
  }
}

/** Null when the open file is the one listed and may be read; else why not. */
function checkOpenFile(fd, job) {
  const st = fs.fstatSync(fd, { bigint: true });
  if (job.dev !== null && (st.dev.toString() !== job.dev || st.ino.toString() !== job.ino)) {
    return failure('ECHANGED', 'the file was replaced after it was listed');
  }
  if (!st.isFile()) return failure('ENOTFILE', 'not a regular file');
  if (Number(st.size) > job.maxBytes) return { kind: 'too-large', size: Number(st.size) };
  return null;
}

/** Tries each path: opens, checks, then hands the fd to stream(fd) for the digests. */
function eachPath(job, stream) {
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
      const refused = checkOpenFile(fd, job);
      const result = refused === null ? stream(fd) : refused;
      if (result.kind !== 'error') return result;
      last = result;
    } catch (error) {
      if (error instanceof Abandoned) throw error;
      last = failure(error.code || 'EUNKNOWN', error.message);
    } finally {
      fs.closeSync(fd);
    }
  }
  return last;
}

function wholeJob(job) {
  return eachPath(job, function (fd) {
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
    return { kind: 'ok', md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), size: size };
  });
}

function leaderJob(job) {
  const ctrl = new Int32Array(job.ctrl);
  const slots = [];
  for (let i = 0; i < SLOTS; i++) slots.push(Buffer.from(job.ring, i * SLOT_BYTES, SLOT_BYTES));
  let published = 0;
  // A slot is free once the follower has consumed what was published in it SLOTS turns ago.
  const acquire = function () {
    waitUntil(ctrl, CONSUMED, function (consumed) {
      return published - consumed < SLOTS;
    });
    return published % SLOTS;
  };
  const publish = function (slot, length) {
    Atomics.store(ctrl, LENGTHS + slot, length);
    published++;
    Atomics.store(ctrl, PRODUCED, published);
    Atomics.notify(ctrl, PRODUCED);
  };
  let dirty = false;
  let result;
  try {
    result = eachPath(job, function (fd) {
      // An earlier path failed mid-read: the follower must drop what it has hashed so far.
      if (dirty) publish(acquire(), RESET);
      dirty = true;
      const sha1 = crypto.createHash('sha1');
      const sha256 = crypto.createHash('sha256');
      let size = 0;
      for (;;) {
        const slot = acquire();
        const n = fs.readSync(fd, slots[slot], 0, SLOT_BYTES, null);
        if (n === 0) break;
        publish(slot, n);
        const chunk = n === SLOT_BYTES ? slots[slot] : slots[slot].subarray(0, n);
        sha1.update(chunk);
        sha256.update(chunk);
        size += n;
      }
      return { kind: 'ok', sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), size: size };
    });
    publish(acquire(), result.kind === 'ok' ? END : FAILED);
  } catch (error) {
    if (!(error instanceof Abandoned)) throw error;
    result = failure(error.code, error.message);
  }
  return result;
}

function followerJob(job) {
  const ctrl = new Int32Array(job.ctrl);
  const ring = new Uint8Array(job.ring);
  let md5 = crypto.createHash('md5');
  let size = 0;
  for (let consumed = 0; ; ) {
    waitUntil(ctrl, PRODUCED, function (produced) {
      return produced > consumed;
    });
    const slot = consumed % SLOTS;
    const length = Atomics.load(ctrl, LENGTHS + slot);
    if (length > 0) {
      md5.update(ring.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + length));
      size += length;
    } else if (length === RESET) {
      md5 = crypto.createHash('md5');
      size = 0;
    }
    consumed++;
    Atomics.store(ctrl, CONSUMED, consumed);
    Atomics.notify(ctrl, CONSUMED);
    if (length === END) return { kind: 'ok', md5: md5.digest('hex'), size: size };
    if (length === FAILED) return failure('ELEADER', 'the reading half ended without a digest');
  }
}

function runJob(job) {
  if (job.part === 'leader') return leaderJob(job);
  if (job.part === 'follower') {
    try {
      return followerJob(job);
    } catch (error) {
      if (error instanceof Abandoned) return failure(error.code, error.message);
      throw error;
    }
  }
  return wholeJob(job);
}

parentPort.on('message', function (job) {
  let result;
  try {
    result = runJob(job);
  } catch (error) {
    result = failure(error.code || 'EUNKNOWN', error.message);
  }
  result.id = job.id;
  result.part = job.part;
  parentPort.postMessage(result);
});
`;
