import { describe, expect, it } from 'vitest';
import { diffRuns, parseDiffAgainst, type DiffProcessInput } from './run-diff';

const sha = (c: string) => c.repeat(64);

function proc(pid: number, exePath: string | null, hash: string | null, more: Partial<DiffProcessInput> = {}) {
  return {
    pid,
    name: exePath ? exePath.slice(exePath.lastIndexOf('/') + 1) : 'kthreadd',
    user: 'root',
    effectiveUser: 'root',
    exePath,
    exeStatus: exePath ? 'ok' : 'kernel-thread',
    sha256: hash,
    package: null,
    integrity: null,
    heuristics: [],
    ...more,
  } satisfies DiffProcessInput;
}

describe('diffRuns', () => {
  it('identical runs: nothing differs, every path unchanged; kernel threads take no part', () => {
    const run = [proc(1, '/usr/bin/a', sha('a')), proc(2, '/usr/bin/a', sha('a')), proc(3, null, null)];
    const d = diffRuns(run, run);
    expect(d.entries).toEqual([]);
    expect(d.counts).toEqual({ new: 0, gone: 0, changed: 0, unchanged: 1 });
  });

  it('new, gone and changed, with the processes behind each and the badges of new ones', () => {
    const before = [proc(1, '/usr/bin/a', sha('a')), proc(2, '/usr/bin/b', sha('b')), proc(3, '/usr/sbin/c', sha('c'))];
    const after = [
      proc(10, '/usr/bin/a', sha('a')),
      proc(11, '/usr/sbin/c', sha('d'), { integrity: 'modified', package: 'cpkg' }),
      proc(13, '/tmp/x/evil', sha('e'), { user: 'alice', effectiveUser: 'root', heuristics: ['temp-dir', 'setuid'] }),
      proc(12, '/tmp/x/evil', sha('e'), { user: 'alice', effectiveUser: 'alice', heuristics: ['temp-dir'] }),
    ];
    const d = diffRuns(after, before);
    expect(d.counts).toEqual({ new: 1, gone: 1, changed: 1, unchanged: 1 });
    expect(d.entries.map((e) => [e.kind, e.path])).toEqual([
      ['changed', '/usr/sbin/c'],
      ['new', '/tmp/x/evil'],
      ['gone', '/usr/bin/b'],
    ]);
    const [changed, fresh, gone] = d.entries;
    expect(changed).toMatchObject({ oldSha256: sha('c'), newSha256: sha('d'), integrity: 'modified', package: 'cpkg' });
    expect(changed!.processes.map((p) => p.pid)).toEqual([11]);
    expect(fresh).toMatchObject({ newSha256: sha('e'), oldSha256: null, heuristics: ['temp-dir', 'setuid'] });
    expect(fresh!.processes).toEqual([
      { pid: 12, name: 'evil', user: 'alice', effectiveUser: 'alice' },
      { pid: 13, name: 'evil', user: 'alice', effectiveUser: 'root' },
    ]);
    // Gone entries carry the other run's processes.
    expect(gone).toMatchObject({ newSha256: null, oldSha256: sha('b') });
    expect(gone!.processes.map((p) => p.pid)).toEqual([2]);
  });

  it('a copy at a new path says where the other run had the same content; a moved file says where it went', () => {
    const before = [proc(1, '/usr/bin/sleep', sha('s')), proc(2, '/opt/tool', sha('t'))];
    const after = [
      proc(3, '/usr/bin/sleep', sha('s')),
      proc(4, '/tmp/sleepy', sha('s')),
      proc(5, '/srv/tool', sha('t')),
    ];
    const d = diffRuns(after, before);
    const byPath = new Map(d.entries.map((e) => [e.path, e]));
    expect(byPath.get('/tmp/sleepy')).toMatchObject({ kind: 'new', sameContentAt: ['/usr/bin/sleep'] });
    expect(byPath.get('/srv/tool')).toMatchObject({ kind: 'new', sameContentAt: ['/opt/tool'] });
    expect(byPath.get('/opt/tool')).toMatchObject({ kind: 'gone', sameContentAt: ['/srv/tool'] });
  });

  it('replaced while running: the old image still runs beside the new one → changed old → new, flagged', () => {
    const before = [proc(1, '/usr/sbin/sshd', sha('1'))];
    const after = [
      proc(1, '/usr/sbin/sshd', sha('1'), { exeStatus: 'deleted', heuristics: ['deleted'] }),
      proc(7, '/usr/sbin/sshd', sha('2')),
    ];
    const d = diffRuns(after, before);
    expect(d.entries).toHaveLength(1);
    expect(d.entries[0]).toMatchObject({ kind: 'changed', oldSha256: sha('1'), newSha256: sha('2') });
    expect(d.counts).toMatchObject({ changed: 1, unchanged: 0 });
    // In the other direction the new image is gone from nowhere: sshd's path stays, the old hash is old news.
    const back = diffRuns(before, after);
    expect(back.entries).toEqual([]);
    // A new executable running deleted says so.
    const del = diffRuns([proc(9, '/tmp/gone-now', sha('9'), { exeStatus: 'deleted' })], []);
    expect(del.entries[0]).toMatchObject({ kind: 'new', deletedWhileRunning: true });
  });

  it('a path that could not be hashed on either side is not compared; an unhashed new path is still new', () => {
    const before = [proc(1, '/usr/bin/secret', null, { exeStatus: 'permission-denied' })];
    const after = [
      proc(2, '/usr/bin/secret', sha('f')),
      proc(3, '/root/tool', null, { exeStatus: 'permission-denied' }),
    ];
    const d = diffRuns(after, before);
    expect(d.entries).toEqual([
      expect.objectContaining({ kind: 'new', path: '/root/tool', newSha256: null, oldSha256: null }),
    ]);
    expect(d.counts).toEqual({ new: 1, gone: 0, changed: 0, unchanged: 1 });
  });

  it('an empty other run makes every executable new', () => {
    const d = diffRuns([proc(1, '/a', sha('a')), proc(2, '/b', sha('b'))], []);
    expect(d.counts).toEqual({ new: 2, gone: 0, changed: 0, unchanged: 0 });
  });

  it('10,000 processes against 10,000 is one linear pass', () => {
    const make = (salt: string) =>
      Array.from({ length: 10_000 }, (_, i) => proc(i + 1, `/usr/bin/p${i % 3000}`, sha((i % 3000) + salt)));
    const d = diffRuns(make('x'), make('y'));
    expect(d.counts).toEqual({ new: 0, gone: 0, changed: 3000, unchanged: 0 });
  });
});

describe('parseDiffAgainst', () => {
  it('reads previous (also when absent), baseline and run ids; null for anything else', () => {
    expect(parseDiffAgainst(null)).toBe('previous');
    expect(parseDiffAgainst('')).toBe('previous');
    expect(parseDiffAgainst('previous')).toBe('previous');
    expect(parseDiffAgainst('baseline')).toBe('baseline');
    expect(parseDiffAgainst('42')).toBe(42);
    for (const bad of ['0', '-1', '1e3', '01', 'abc', '2147483648', '4.5'])
      expect(parseDiffAgainst(bad), bad).toBeNull();
  });
});
