import { CTRL_INTS, SPLIT_SLOT_BYTES, SPLIT_SLOTS } from './hash-worker-source';
import type { HashJobResult } from './hash-pool';

/** The pool's side of the worker protocol (hash-worker-source): answers, and the split jobs' rings. */

export type Part = 'whole' | 'leader' | 'follower';

export type WorkerReply = { id: number; part: Part } & (
  | { kind: 'ok'; md5?: string; sha1?: string; sha256?: string; size: number }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; code: string; message: string }
);

export interface Ring {
  ring: SharedArrayBuffer;
  ctrl: Int32Array;
}

/** A split file takes about this share of its whole-file time (MD5 alone vs all three digests). */
export const SPLIT_SHARE = 0.55;

export function toResult(reply: WorkerReply): HashJobResult {
  switch (reply.kind) {
    case 'ok':
      if (reply.md5 === undefined || reply.sha1 === undefined || reply.sha256 === undefined)
        return { kind: 'error', code: 'EWORKER', message: 'hash worker sent an incomplete answer' };
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

/** The leader's answer decides (too large, unreadable, replaced); the follower adds MD5. */
export function combine(leader: WorkerReply | undefined, follower: WorkerReply | undefined): HashJobResult {
  if (!leader || !follower) return { kind: 'error', code: 'EWORKER', message: 'a split hash lost one half' };
  if (leader.kind !== 'ok') return toResult(leader);
  if (follower.kind !== 'ok') return toResult(follower);
  if (leader.size !== follower.size)
    return { kind: 'error', code: 'ESPLIT', message: `split hash read ${leader.size} and ${follower.size} bytes` };
  return toResult({ ...leader, md5: follower.md5 });
}

export function newRing(): Ring {
  return {
    ring: new SharedArrayBuffer(SPLIT_SLOTS * SPLIT_SLOT_BYTES),
    ctrl: new Int32Array(new SharedArrayBuffer(CTRL_INTS * Int32Array.BYTES_PER_ELEMENT)),
  };
}
