import 'server-only';
import type { Db } from '@/db';
import { getHashCacheRows, putHashCacheRows } from '@/db/queries/hash-cache';
import { fileIdentityKey, type FileHashes, type HashCacheStore } from '../processes/types';

/** The hash cache kept in the database, so it survives restarts and is shared by server and CLI. */
export function createDbHashCache(db: Db): HashCacheStore {
  return {
    async getMany(hostKey, ids) {
      const rows = await getHashCacheRows(db, hostKey, [...new Set(ids.map((i) => i.ino))]);
      const out = new Map<string, FileHashes>();
      for (const r of rows) {
        out.set(fileIdentityKey(r), { md5: r.md5, sha1: r.sha1, sha256: r.sha256, size: r.size });
      }
      return out;
    },
    async putMany(hostKey, entries) {
      await putHashCacheRows(
        db,
        hostKey,
        entries.map(({ id, hashes }) => ({ ...id, sha256: hashes.sha256, md5: hashes.md5, sha1: hashes.sha1 })),
      );
    },
  };
}
