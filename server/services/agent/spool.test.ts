import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '@/tests/helpers';
import { openFileHashCache } from './file-hash-cache';
import { openSpool } from './spool';

describe('agent spool', () => {
  it('keeps snapshots oldest first and drops the oldest beyond its file and byte bounds', () => {
    const dir = tempDataDir('proclens-spool-');
    const spool = openSpool(dir, { maxFiles: 3, maxBytes: 1_000 });
    for (const id of ['a', 'b', 'c']) expect(spool.add(id, '{}')).toEqual([]);
    expect(spool.add('d', '{}')).toEqual(['a']);
    expect(spool.list().map((s) => s.snapshotId)).toEqual(['b', 'c', 'd']);
    // One big snapshot pushes the others out, but the newest is always kept.
    expect(spool.add('e', 'x'.repeat(999))).toEqual(['b', 'c', 'd']);
    expect(spool.list().map((s) => s.snapshotId)).toEqual(['e']);
    spool.remove(spool.list()[0]!.file);
    expect(spool.size()).toBe(0);
    expect(fs.statSync(`${dir}/spool`).mode & 0o777).toBe(0o700);
  });
});

describe('agent hash cache file', () => {
  const id = { dev: '8', ino: '42', size: 10, mtimeNs: '1', ctimeNs: '2' };
  const hashes = { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), size: 10 };

  it('remembers hashes by file identity across runs; any change of the identity misses', async () => {
    const dir = tempDataDir('proclens-cache-');
    const first = openFileHashCache(dir);
    expect((await first.getMany('host', [id])).size).toBe(0);
    await first.putMany('host', [{ id, hashes }]);
    first.save();
    const second = openFileHashCache(dir);
    expect([...(await second.getMany('host', [id])).values()]).toEqual([hashes]);
    expect((await second.getMany('host', [{ ...id, ctimeNs: '3' }])).size).toBe(0);
    expect((await second.getMany('other-host', [id])).size).toBe(0);
    expect(fs.statSync(`${dir}/hash-cache.json`).mode & 0o777).toBe(0o600);
  });

  it('starts cold from a damaged file', async () => {
    const dir = tempDataDir('proclens-cache-');
    fs.writeFileSync(`${dir}/hash-cache.json`, '{not json');
    expect((await openFileHashCache(dir).getMany('host', [id])).size).toBe(0);
  });
});
