import { fileIdentityKey, type FileHashes, type HashCacheStore } from './types';

/**
 * A HashCacheStore in a Map: for tests and the CLI's --no-store. The key holds size, mtime and ctime,
 * so a rewritten file (even with the same size, or a restored mtime) misses and is hashed again.
 */
export function createMemoryHashCache(): HashCacheStore {
  const entries = new Map<string, FileHashes>();
  const keyOf = (hostKey: string, key: string): string => `${hostKey}\u0000${key}`;
  return {
    async getMany(hostKey, ids) {
      const found = new Map<string, FileHashes>();
      for (const id of ids) {
        const key = fileIdentityKey(id);
        const hit = entries.get(keyOf(hostKey, key));
        if (hit) found.set(key, { ...hit });
      }
      return found;
    },
    async putMany(hostKey, items) {
      for (const { id, hashes } of items) entries.set(keyOf(hostKey, fileIdentityKey(id)), { ...hashes });
    },
    isEmpty: () => entries.size === 0,
  };
}
