import { describe, expect, it } from 'vitest';
import { formatSort, formatVisibility, parseSort, parseVisibility } from './table-url-codec';

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
    expect(parseVisibility('name,cmdline', ids, hidden)).toEqual({ name: true, pid: false, ppid: false, cmdline: true });
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
