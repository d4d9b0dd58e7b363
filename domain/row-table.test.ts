import { describe, expect, it } from 'vitest';
import { decodeRowTable, encodeRowTable, keepSameRowTable, RowTable } from './row-table';
import { transformer } from './transformer';

const rows = Array.from({ length: 300 }, (_, i) => ({
  id: i + 1,
  name: ['nginx', 'bash', 'sshd', '<b>x</b>', 'rtl\u202Eexe', ''][i % 6] as string,
  memoryPercent: (i * 7.123456789) % 100,
  exePath: i % 10 === 0 ? null : `/usr/bin/tool-${i % 12}`,
  cmdline: `tool --worker=${i}`,
  processStartedAt: i % 3 ? new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString() : null,
  heuristics: i % 4 === 0 ? ['deleted', 'tmp-exe'] : [],
  vt: i % 5 === 0 ? null : { state: 'checked' as const, vtScore: i % 7, verdict: 'not-malicious', threatLabel: null },
}));

/** Through the tRPC transformer and JSON text, as the browser receives it. */
const overTheWire = <T>(value: RowTable<T>): RowTable<T> =>
  transformer.deserialize<RowTable<T>>(JSON.parse(JSON.stringify(transformer.serialize(value))));

describe('RowTable', () => {
  it('decodes to the very rows it encoded, after the transformer and JSON text', () => {
    const wire = overTheWire(encodeRowTable(rows));
    expect(wire).toBeInstanceOf(RowTable);
    expect(decodeRowTable(wire)).toEqual(rows);
    expect(decodeRowTable(overTheWire(encodeRowTable<(typeof rows)[number]>([])))).toEqual([]);
  });

  it('sends repeated values once and measures as they are; much smaller than the rows as JSON', () => {
    const table = encodeRowTable(rows);
    const col = (key: string) => table.c[table.k.indexOf(key)];
    expect(col('name')).toEqual({ d: ['nginx', 'bash', 'sshd', '<b>x</b>', 'rtl\u202Eexe', ''], i: expect.any(Array) });
    expect(col('id')).toEqual({ v: rows.map((r) => r.id) });
    expect(col('cmdline')).toHaveProperty('v');
    // Objects and arrays always go through the dictionary, equal ones once.
    expect((col('heuristics') as { d: unknown[] }).d).toEqual([['deleted', 'tmp-exe'], []]);
    const wire = JSON.stringify(transformer.serialize(table)).length;
    expect(wire).toBeLessThan(JSON.stringify(rows).length * 0.6);
  });

  it('a refetched table with the same rows is kept; one changed value is not', () => {
    const a = encodeRowTable(rows);
    expect(keepSameRowTable(a, encodeRowTable(rows.map((r) => ({ ...r }))))).toBe(a);
    const changed = encodeRowTable(rows.map((r, i) => (i === 42 ? { ...r, vt: null } : r)));
    expect(keepSameRowTable(a, changed)).toBe(changed);
    const renamed = encodeRowTable(rows.map((r, i) => (i === 7 ? { ...r, cmdline: 'other' } : r)));
    expect(keepSameRowTable(a, renamed)).toBe(renamed);
    expect(keepSameRowTable(undefined, a)).toBe(a);
  });
});
