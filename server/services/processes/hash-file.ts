import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { HASH_CHUNK_BYTES } from './hash-job';
import type { FileHashes } from './types';

/**
 * MD5, SHA-1 and SHA-256 of one file on the calling thread, in one read pass: what a hash worker
 * does (hash-job.ts), without blocking the thread, for tests and small tools.
 */
export async function hashFile(path: string): Promise<FileHashes> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    const digests = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      for (const digest of digests) digest.update(chunk);
      size += bytesRead;
    }
    const [md5, sha1, sha256] = digests.map((d) => d.digest('hex')) as [string, string, string];
    return { md5, sha1, sha256, size };
  } finally {
    await handle.close();
  }
}
