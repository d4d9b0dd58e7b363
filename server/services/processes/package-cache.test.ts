import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedPackageIndex, PACKAGE_CACHE_FILE, scanMd5sums } from './package-cache';
import { DPKG_INFO_DIR, PackageIndex, parseMd5sums } from './package-index';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-dpkg-cache-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const A = '11111111111111111111111111111111';
const B = '22222222222222222222222222222222';
const C = '33333333333333333333333333333333';

function infoDir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(dir, 'info-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  fs.writeFileSync(path.join(d, 'coreutils.list'), '/usr/bin/sleep\n');
  return d;
}

/** A fresh cache file path in its own (not yet existing) state folder. */
const cacheFile = () => path.join(fs.mkdtempSync(path.join(dir, 'state-')), 'agent', PACKAGE_CACHE_FILE);

/** Moves a file's mtime forward, as a package upgrade rewriting it would. */
function rewrite(file: string, text: string): void {
  fs.writeFileSync(file, text);
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(file, later, later);
}

const prepare = (index: CachedPackageIndex, exes: string[]) => index.prepare(Promise.resolve(exes));

describe('scanMd5sums', () => {
  it('finds only the wanted paths, with the same reading of each line as parseMd5sums', () => {
    const text = [
      `${A}  bin/bash`,
      `${B} *usr/bin/with space`,
      `${C}  usr/bin/other`,
      'not a line',
      `ZZZ0080490f9fd139c1b44fa0f730988  usr/bin/x`,
      `${C}  bin/bash`,
      '',
    ].join('\n');
    const wanted = new Set(['/bin/bash', '/usr/bin/with space', '/usr/bin/x', '/nowhere']);
    const lengths = new Set([...wanted].map((p) => Buffer.byteLength(p)));
    const hits = scanMd5sums(Buffer.from(text), wanted, lengths);
    const full = parseMd5sums(text);
    expect([...hits]).toEqual([
      ['/bin/bash', C],
      ['/usr/bin/with space', B],
    ]);
    for (const [file, md5] of hits) expect(full.get(file)).toBe(md5);
  });
});

describe('CachedPackageIndex on fixture folders', () => {
  it('gives the same verdicts as PackageIndex: owner, merged-/usr twin, first package by name', async () => {
    const d = infoDir({
      'zz-dup.md5sums': `${C}  usr/bin/shared\n`,
      'aa-dup:amd64.md5sums': `${B}  usr/bin/shared\n`,
      'bash.md5sums': `${A}  bin/bash\n`,
    });
    const exes = ['/usr/bin/bash', '/usr/bin/shared', '/opt/loose', '/bin/bash'];
    const full = new PackageIndex(d);
    await full.refresh();
    const cached = new CachedPackageIndex(cacheFile(), d);
    expect(await prepare(cached, exes)).toBe(true);
    for (const exe of exes) {
      for (const md5 of [A, B, C]) expect(cached.verify(exe, md5)).toEqual(full.verify(exe, md5));
    }
    expect(cached.verify('/usr/bin/bash', A.toUpperCase())).toEqual({ package: 'bash', integrity: 'matches' });
    expect(cached.verify('/usr/bin/shared', C)).toEqual({ package: 'aa-dup:amd64', integrity: 'modified' });
    expect(cached.verify('/opt/loose', A)).toEqual({ package: null, integrity: 'not-packaged' });
  });

  it('keeps the owners in a private file, and a second run on the same lists reads none of them', async () => {
    const d = infoDir({ 'a.md5sums': `${A}  usr/bin/a\n`, 'b.md5sums': `${B}  usr/bin/b\n` });
    const file = cacheFile();
    const first = new CachedPackageIndex(file, d);
    await prepare(first, ['/usr/bin/a', '/usr/bin/b', '/opt/c']);
    expect(first.scannedFiles).toBe(2);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const second = new CachedPackageIndex(file, d);
    await prepare(second, ['/usr/bin/a', '/opt/c']);
    expect(second.scannedFiles).toBe(0);
    expect(second.owner('/usr/bin/a')).toEqual({ package: 'a', md5: A });
    expect(second.owner('/opt/c')).toBeNull();

    // A new executable costs one scan, for it alone; the file then knows it too.
    const third = new CachedPackageIndex(file, d);
    await prepare(third, ['/usr/bin/a', '/usr/bin/b', '/usr/bin/new']);
    expect(third.scannedFiles).toBe(2);
    const fourth = new CachedPackageIndex(file, d);
    await prepare(fourth, ['/usr/bin/new', '/usr/bin/b']);
    expect(fourth.scannedFiles).toBe(0);
    expect(fourth.owner('/usr/bin/b')).toEqual({ package: 'b', md5: B });
  });

  it('scans again when a list changes (mtime), and forgets a removed package', async () => {
    const d = infoDir({ 'a.md5sums': `${A}  usr/bin/a\n`, 'b.md5sums': `${B}  usr/bin/b\n` });
    const file = cacheFile();
    await prepare(new CachedPackageIndex(file, d), ['/usr/bin/a', '/usr/bin/b']);

    rewrite(path.join(d, 'a.md5sums'), `${C}  usr/bin/a\n`);
    const afterUpgrade = new CachedPackageIndex(file, d);
    await prepare(afterUpgrade, ['/usr/bin/a', '/usr/bin/b']);
    expect(afterUpgrade.scannedFiles).toBe(2);
    expect(afterUpgrade.verify('/usr/bin/a', C)).toEqual({ package: 'a', integrity: 'matches' });

    fs.rmSync(path.join(d, 'b.md5sums'));
    const afterPurge = new CachedPackageIndex(file, d);
    await prepare(afterPurge, ['/usr/bin/a', '/usr/bin/b']);
    expect(afterPurge.scannedFiles).toBe(1);
    expect(afterPurge.owner('/usr/bin/b')).toBeNull();

    // A new package listing a path the cache had as unowned.
    fs.writeFileSync(path.join(d, 'b2.md5sums'), `${B}  usr/bin/b\n`);
    const afterInstall = new CachedPackageIndex(file, d);
    await prepare(afterInstall, ['/usr/bin/b']);
    expect(afterInstall.owner('/usr/bin/b')).toEqual({ package: 'b2', md5: B });
  });

  it('rebuilds a damaged cache file, or one others could have written', async () => {
    const d = infoDir({ 'a.md5sums': `${A}  usr/bin/a\n` });
    const file = cacheFile();
    await prepare(new CachedPackageIndex(file, d), ['/usr/bin/a']);
    const good = fs.readFileSync(file, 'utf8');

    for (const damage of [
      '{"version":1,"fingerp',
      'null',
      good.replace(A, 'not-an-md5'),
      good.replace('"a"', '""'),
      good.replace('"owners":{', '"owners":[').replace(/}}$/, ']}'),
    ]) {
      fs.writeFileSync(file, damage);
      const index = new CachedPackageIndex(file, d);
      expect(await prepare(index, ['/usr/bin/a'])).toBe(true);
      expect(index.scannedFiles).toBe(1);
      expect(index.verify('/usr/bin/a', A)).toEqual({ package: 'a', integrity: 'matches' });
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(good));
    }

    // A planted "everything matches" file that others can write is not believed, and is replaced.
    fs.writeFileSync(file, good.replace(A, B));
    fs.chmodSync(file, 0o666);
    const index = new CachedPackageIndex(file, d);
    await prepare(index, ['/usr/bin/a']);
    expect(index.scannedFiles).toBe(1);
    expect(index.owner('/usr/bin/a')?.md5).toBe(A);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('without a cache file scans every run and writes nothing; a missing dpkg folder answers false', async () => {
    const d = infoDir({ 'a.md5sums': `${A}  usr/bin/a\n` });
    const before = fs.readdirSync(d);
    const index = new CachedPackageIndex(null, d);
    await prepare(index, ['/usr/bin/a']);
    await prepare(index, ['/usr/bin/a']);
    expect(index.scannedFiles).toBe(1);
    expect(fs.readdirSync(d)).toEqual(before);

    const file = cacheFile();
    expect(await prepare(new CachedPackageIndex(file, path.join(dir, 'nope')), ['/usr/bin/a'])).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('still collects when the cache folder cannot be written', async () => {
    const d = infoDir({ 'a.md5sums': `${A}  usr/bin/a\n` });
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const index = new CachedPackageIndex(path.join(blocker, 'sub', PACKAGE_CACHE_FILE), d);
    expect(await prepare(index, ['/usr/bin/a'])).toBe(true);
    expect(index.verify('/usr/bin/a', A).integrity).toBe('matches');
  });
});

const debian = fs.existsSync(path.join(DPKG_INFO_DIR, 'coreutils.md5sums'));

describe.runIf(debian)('CachedPackageIndex on this Debian machine', () => {
  it('names the same owners as the full index for every file in /usr/bin and /usr/sbin', async () => {
    const exes = ['/usr/bin', '/usr/sbin'].flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n)));
    exes.push('/bin/sleep', '/sbin/ldconfig', '/opt/not-packaged');
    const full = new PackageIndex();
    await full.refresh();
    const cached = new CachedPackageIndex(cacheFile());
    await prepare(cached, exes);
    const differ = exes.filter((e) => JSON.stringify(cached.owner(e)) !== JSON.stringify(full.owner(e)));
    expect(differ).toEqual([]);
    expect(exes.filter((e) => cached.owner(e)).length).toBeGreaterThan(100);
  });
});
