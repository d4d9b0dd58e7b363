import { describe, expect, it } from 'vitest';
import { executableColumns, executablesDefaultSort } from './executables/columns';
import { processColumns, processesDefaultSort } from './processes/columns';
import { formatSort, formatVisibility, parseSort, parseVisibility, URL_COLUMN_IDS } from './table-url-codec';

const sortable = new Set(['name', 'pid', 'memory']);
const fallback = { id: 'memory', desc: true };

describe('sort in the URL', () => {
  it('reads `<id>.<dir>` and falls back to the default for anything else', () => {
    expect(parseSort('pid.asc', sortable, fallback)).toEqual([{ id: 'pid', desc: false }]);
    expect(parseSort('name.desc', sortable, fallback)).toEqual([{ id: 'name', desc: true }]);
    for (const raw of [null, '', 'nope.asc', 'pid.sideways', '.asc']) {
      expect(parseSort(raw, sortable, fallback), String(raw)).toEqual([fallback]);
    }
  });

  it('writes nothing for the default sort', () => {
    expect(formatSort([{ id: 'memory', desc: true }], fallback)).toBeNull();
    expect(formatSort([{ id: 'memory', desc: false }], fallback)).toBe('memory.asc');
    expect(formatSort([{ id: 'pid', desc: true }], fallback)).toBe('pid.desc');
  });
});

describe('visible columns in the URL', () => {
  const ids = ['name', 'pid', 'ppid', 'cmdline'];
  const hidden = new Set(['ppid', 'cmdline']);

  it('uses the default set when absent or unusable', () => {
    const def = { name: true, pid: true, ppid: false, cmdline: false };
    expect(parseVisibility(null, ids, hidden)).toEqual(def);
    expect(parseVisibility('bogus,,', ids, hidden)).toEqual(def);
  });

  it('shows exactly the listed columns', () => {
    expect(parseVisibility('name,cmdline', ids, hidden)).toEqual({
      name: true,
      pid: false,
      ppid: false,
      cmdline: true,
    });
  });

  it('round-trips and omits the default set', () => {
    const state = { name: true, pid: false, ppid: true, cmdline: false };
    const raw = formatVisibility(state, ids, hidden);
    expect(raw).toBe('name,ppid');
    expect(parseVisibility(raw, ids, hidden)).toEqual(state);
    expect(formatVisibility({ name: true, pid: true }, ids, hidden)).toBe('name,pid,ppid,cmdline');
    expect(formatVisibility({ name: true, pid: true, ppid: false, cmdline: false }, ids, hidden)).toBeNull();
  });
});

describe('the run page tables in the URL', () => {
  const facts = (
    cols: ReadonlyArray<{
      id?: string;
      enableHiding?: boolean;
      enableSorting?: boolean;
      meta?: { hiddenByDefault?: boolean };
    }>,
  ) => ({
    ids: cols.filter((c) => c.enableHiding !== false).map((c) => c.id ?? ''),
    sortable: new Set(cols.filter((c) => c.enableSorting !== false).map((c) => c.id ?? '')),
    hidden: new Set(cols.filter((c) => c.meta?.hiddenByDefault).map((c) => c.id ?? '')),
  });

  it('registers every column id the tables can write, in table order', () => {
    expect(facts(processColumns).ids).toEqual(URL_COLUMN_IDS.processes);
    expect(facts(executableColumns).ids).toEqual(URL_COLUMN_IDS.executables);
    for (const id of [...URL_COLUMN_IDS.processes, ...URL_COLUMN_IDS.executables]) {
      expect(id, id).toMatch(/^[A-Za-z0-9]+$/); // no `.` or `,`: the URL format splits on them
    }
  });

  it('keeps the process table defaults: the eight original columns in order, with VTScore, Verdict and the analysis columns', () => {
    const p = facts(processColumns);
    const visible = Object.entries(parseVisibility(null, p.ids, p.hidden))
      .filter(([, v]) => v)
      .map(([id]) => id);
    expect(visible).toEqual([
      'name',
      'pid',
      'user',
      'euser',
      'heuristics',
      'memory',
      'vtScore',
      'verdict',
      'exe',
      'package',
      'integrity',
      'md5',
      'sha1',
      'sha256',
    ]);
    expect(processesDefaultSort).toEqual({ id: 'memory', desc: true });
  });

  it('sorts the hash view by VTScore descending unless the link says otherwise', () => {
    const x = facts(executableColumns);
    expect(executablesDefaultSort).toEqual({ id: 'vtScore', desc: true });
    expect(parseSort(null, x.sortable, executablesDefaultSort)).toEqual([{ id: 'vtScore', desc: true }]);
    expect(formatSort([{ id: 'vtScore', desc: true }], executablesDefaultSort)).toBeNull();
    expect(parseSort('vtScore.asc', x.sortable, executablesDefaultSort)).toEqual([{ id: 'vtScore', desc: false }]);
    // Links made before the VirusTotal columns still open as written.
    expect(parseSort('processes.desc', x.sortable, executablesDefaultSort)).toEqual([{ id: 'processes', desc: true }]);
    for (const id of ['verdict', 'detections', 'threatLabel']) {
      expect(parseSort(`${id}.desc`, x.sortable, executablesDefaultSort), id).toEqual([{ id, desc: true }]);
    }
    // Not sortable: falls back to the default.
    expect(parseSort('vtLink.asc', x.sortable, executablesDefaultSort)).toEqual([executablesDefaultSort]);
    expect(parseSort('details.asc', x.sortable, executablesDefaultSort)).toEqual([executablesDefaultSort]);
  });

  it('round-trips a column choice that includes the VirusTotal columns', () => {
    const x = facts(executableColumns);
    const state = parseVisibility('verdict,threatLabel,sha256,vtLink', x.ids, x.hidden);
    expect(
      Object.entries(state)
        .filter(([, v]) => v)
        .map(([id]) => id),
    ).toEqual(['verdict', 'threatLabel', 'sha256', 'vtLink']);
    expect(formatVisibility(state, x.ids, x.hidden)).toBe('verdict,threatLabel,sha256,vtLink');
    expect(formatVisibility(parseVisibility(null, x.ids, x.hidden), x.ids, x.hidden)).toBeNull();
  });
});
