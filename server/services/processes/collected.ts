import type { FileIdentity, ProcessRecord } from './types';

/**
 * What a collector hands to the hashing step: the row (hashes still null) and, when it has an
 * executable file, how to find and recognise it.
 */
export interface HashTarget {
  id: FileIdentity;
  /**
   * Where the bytes can be read, best first. The reader checks each opened file's dev/ino against
   * `id`, so a path replaced after the scan is skipped rather than hashed under the wrong identity.
   */
  paths: string[];
}

export interface CollectedProcess {
  record: ProcessRecord;
  target: HashTarget | null;
}

export function identityFromStats(st: {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}): FileIdentity {
  return {
    dev: st.dev.toString(),
    ino: st.ino.toString(),
    size: Number(st.size),
    mtimeNs: st.mtimeNs.toString(),
    ctimeNs: st.ctimeNs.toString(),
  };
}
