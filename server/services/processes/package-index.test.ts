import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidatePaths, DPKG_INFO_DIR, PackageIndex, parseMd5sums } from './package-index';

const md5 = (file: string) => execFileSync('md5sum', [file], { encoding: 'utf8' }).split(' ')[0] as string;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-dpkg-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function infoDir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(dir, 'info-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  // Other dpkg metadata beside the md5sums lists must be ignored.
  fs.writeFileSync(path.join(d, 'coreutils.list'), '/usr/bin/sleep\n');
  return d;
}

describe('parseMd5sums', () => {
  it('reads dpkg lines into absolute paths and skips anything malformed', () => {
    const text = [
      '7210080490f9fd139c1b44fa0f730988  bin/bash',
      '12c7981c8fed81743552e47dd4b1483e  usr/bin/with space',
      'not a line',
      'ZZZ0080490f9fd139c1b44fa0f730988  usr/bin/x',
      '',
    ].join('\n');
    expect([...parseMd5sums(text)]).toEqual([
      ['/bin/bash', '7210080490f9fd139c1b44fa0f730988'],
      ['/usr/bin/with space', '12c7981c8fed81743552e47dd4b1483e'],
    ]);
  });
});

describe('candidatePaths', () => {
  it('tries the merged-/usr twin of bin, sbin and lib paths', () => {
    expect(candidatePaths('/usr/bin/bash')).toEqual(['/usr/bin/bash', '/bin/bash']);
    expect(candidatePaths('/sbin/init')).toEqual(['/sbin/init', '/usr/sbin/init']);
    expect(candidatePaths('/opt/app/run')).toEqual(['/opt/app/run']);
  });
});

describe('PackageIndex on fixture folders', () => {
  it('says matches, modified (a changed binary) or not packaged (an unpackaged one)', async () => {
    const good = path.join(dir, 'good');
    const bad = path.join(dir, 'bad');
    const loose = path.join(dir, 'loose');
    fs.copyFileSync('/bin/sleep', good);
    fs.copyFileSync('/bin/sleep', bad);
    fs.copyFileSync('/bin/sleep', loose);
    const shipped = md5(bad);
    fs.appendFileSync(bad, Buffer.from('patched'));
    const index = new PackageIndex(
      infoDir({
        'good-tools.md5sums': `${md5(good)}  ${good.slice(1)}\n`,
        'bad-tools:amd64.md5sums': `${shipped}  ${bad.slice(1)}\n`,
      }),
    );
    expect(await index.refresh()).toBe(true);
    expect(index.verify(good, md5(good))).toEqual({ package: 'good-tools', integrity: 'matches' });
    expect(index.verify(bad, md5(bad))).toEqual({ package: 'bad-tools:amd64', integrity: 'modified' });
    expect(index.verify(loose, md5(loose))).toEqual({ package: null, integrity: 'not-packaged' });
  });

  it('matches a merged-/usr path against the path the package lists', async () => {
    const index = new PackageIndex(infoDir({ 'bash.md5sums': '7210080490f9fd139c1b44fa0f730988  bin/bash\n' }));
    await index.refresh();
    expect(index.verify('/usr/bin/bash', '7210080490F9FD139C1B44FA0F730988')).toEqual({
      package: 'bash',
      integrity: 'matches',
    });
  });

  it('parses a list again only when its mtime or size changes, and forgets removed packages', async () => {
    const d = infoDir({
      'a.md5sums': '11111111111111111111111111111111  usr/bin/a\n',
      'b.md5sums': '22222222222222222222222222222222  usr/bin/b\n',
    });
    const index = new PackageIndex(d);
    await index.refresh();
    expect(index.parsedFiles).toBe(2);
    await index.refresh();
    expect(index.parsedFiles).toBe(0);
    expect(index.owner('/usr/bin/b')?.package).toBe('b');

    fs.writeFileSync(path.join(d, 'a.md5sums'), '33333333333333333333333333333333  usr/bin/a\n');
    fs.utimesSync(path.join(d, 'a.md5sums'), new Date(), new Date(Date.now() + 5_000));
    fs.rmSync(path.join(d, 'b.md5sums'));
    await index.refresh();
    expect(index.parsedFiles).toBe(1);
    expect(index.owner('/usr/bin/a')?.md5).toBe('33333333333333333333333333333333');
    expect(index.owner('/usr/bin/b')).toBeNull();
  });

  it('answers false (no dpkg database) for a missing folder', async () => {
    const index = new PackageIndex(path.join(dir, 'nope'));
    expect(await index.refresh()).toBe(false);
  });
});

const debian = fs.existsSync(path.join(DPKG_INFO_DIR, 'coreutils.md5sums'));

describe.runIf(debian)('PackageIndex on this Debian machine', () => {
  it('finds coreutils as the owner of sleep, and its checksum matching', async () => {
    const index = new PackageIndex();
    await index.refresh();
    expect(index.size).toBeGreaterThan(1000);
    const sleep = fs.realpathSync('/bin/sleep');
    expect(index.verify(sleep, md5(sleep))).toEqual({ package: 'coreutils', integrity: 'matches' });
    expect(index.verify(sleep, '00000000000000000000000000000000').integrity).toBe('modified');
  });
});
