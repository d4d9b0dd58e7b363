import { describe, expect, it } from 'vitest';
import type { ProcessRow } from '@/app/_trpc/types';
import { FIRST_SCREEN_ROWS, processesFirstScreen } from './first-screen';
import { flagCounts } from './flag-filter';

const NAMES = ['nginx', 'Nginx', 'postgres', 'bash', 'bash2', 'bash10', 'élan', 'elan', 'sshd'];
const USERS = ['root', 'alice', 'bob'];

/** 1,000 processes with many ties (names, memory) and rows without an executable path. */
const rows: ProcessRow[] = Array.from(
  { length: 1000 },
  (_, i) =>
    ({
      id: i + 1,
      pid: (i * 7919) % 5000,
      ppid: 1,
      name: NAMES[(i * 7) % NAMES.length] as string,
      user: USERS[i % USERS.length] as string,
      effectiveUser: null,
      state: 'S',
      processStartedAt: null,
      rssBytes: 1000,
      memoryPercent: ((i * 37) % 50) / 10,
      cpuPercent: 0,
      cmdline: '',
      exePath: i % 5 === 0 ? null : `/usr/bin/${NAMES[i % NAMES.length]}`,
      exeStatus: i % 5 === 0 ? 'kernel' : 'ok',
      exeError: null,
      sha256: null,
      package: null,
      integrity: i % 11 === 0 ? 'modified' : null,
      heuristics: [],
      md5: null,
      sha1: null,
      size: null,
      vt: null,
    }) as unknown as ProcessRow,
);

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const ids = (xs: ReadonlyArray<ProcessRow>) => xs.map((r) => r.id);
/** A plain reference: a stable sort of the data (ties keep data order). */
const stableSort = (xs: ReadonlyArray<ProcessRow>, cmp: (a: ProcessRow, b: ProcessRow) => number) =>
  xs
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => cmp(a, b) || i - j)
    .map(([r]) => r);

describe('processesFirstScreen', () => {
  it('sends the first screen in the default order (Memory % descending), with counts over the whole run', () => {
    const s = processesFirstScreen(rows, new URLSearchParams());
    expect(s.total).toBe(1000);
    expect(s.rows).toHaveLength(FIRST_SCREEN_ROWS);
    expect(ids(s.rows)).toEqual(
      ids(stableSort(rows, (a, b) => b.memoryPercent - a.memoryPercent).slice(0, FIRST_SCREEN_ROWS)),
    );
    expect(s.counts).toEqual(flagCounts(rows));
    expect(s.counts.modified).toBeGreaterThan(0);
    expect(s.search).toEqual({ sort: null, filter: null, flag: null });
  });

  it("follows the URL's sort, filter and flag, as the browser's table does", () => {
    const search = new URLSearchParams('sort=name.asc&q=BASH&flag=modified');
    const s = processesFirstScreen(rows, search, 20);
    const expected = stableSort(
      rows.filter((r) => r.integrity === 'modified' && r.name.toLowerCase().includes('bash')),
      (a, b) => collator.compare(a.name, b.name),
    ).slice(0, 20);
    expect(expected.length).toBeGreaterThan(5);
    expect(ids(s.rows)).toEqual(ids(expected));
    expect(s.search).toEqual({ sort: 'name.asc', filter: 'BASH', flag: 'modified' });
  });

  it('puts rows without a value last in either direction (Executable)', () => {
    for (const dir of ['asc', 'desc']) {
      const s = processesFirstScreen(rows, new URLSearchParams(`sort=exe.${dir}`), 1000);
      const firstMissing = s.rows.findIndex((r) => r.exePath === null);
      expect(firstMissing).toBe(800);
      expect(s.rows.slice(firstMissing).every((r) => r.exePath === null)).toBe(true);
    }
  });

  it('falls back to the default order for an unknown sort, and sends nothing for a filter that matches nothing', () => {
    const unknown = processesFirstScreen(rows, new URLSearchParams('sort=nope.asc'), 10);
    expect(ids(unknown.rows)).toEqual(ids(processesFirstScreen(rows, new URLSearchParams(), 10).rows));
    expect(unknown.search.sort).toBe('nope.asc');
    expect(processesFirstScreen(rows, new URLSearchParams('q=no-such-process')).rows).toEqual([]);
  });
});
