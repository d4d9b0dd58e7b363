import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { fileIdentityKey, type FileHashes, type HashCacheStore } from '../processes/types';

/**
 * The agent's hash cache: one small JSON file in its state folder (agents have no database), keyed
 * like the server's by (device, inode, size, mtime, ctime), so a warm run reads no executable.
 * Entries not used by the latest run are dropped when it is saved, so the file tracks the host.
 */
interface CacheFile {
  version: 1;
  hostKey: string;
  /** identity key → [md5, sha1, sha256, size] */
  entries: Record<string, [string, string, string, number]>;
}

const MAX_ENTRIES = 50_000;

export interface FileHashCache extends HashCacheStore {
  save(): void;
}

function load(file: string): CacheFile | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    return parsed && parsed.version === 1 && typeof parsed.entries === 'object' ? parsed : null;
  } catch {
    // Missing or damaged: start cold, the next save replaces it.
    return null;
  }
}

export function openFileHashCache(stateDir: string): FileHashCache {
  const file = path.join(stateDir, 'hash-cache.json');
  const stored = load(file);
  const used = new Map<string, [string, string, string, number]>();
  let owner: string | null = stored?.hostKey ?? null;
  return {
    async getMany(hostKey, ids) {
      const out = new Map<string, FileHashes>();
      if (!stored || stored.hostKey !== hostKey) return out;
      for (const id of ids) {
        const key = fileIdentityKey(id);
        const e = stored.entries[key];
        if (e) {
          used.set(key, e);
          out.set(key, { md5: e[0], sha1: e[1], sha256: e[2], size: e[3] });
        }
      }
      return out;
    },
    async putMany(hostKey, items) {
      owner = hostKey;
      for (const { id, hashes } of items)
        used.set(fileIdentityKey(id), [hashes.md5, hashes.sha1, hashes.sha256, hashes.size]);
    },
    save() {
      if (owner === null) return;
      const entries = Object.fromEntries([...used.entries()].slice(-MAX_ENTRIES));
      fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ version: 1, hostKey: owner, entries } satisfies CacheFile), {
        mode: 0o600,
      });
      fs.renameSync(tmp, file);
    },
  };
}
