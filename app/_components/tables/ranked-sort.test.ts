import {
  columnFilteringFeature,
  constructTable,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_basic,
  tableFeatures,
} from '@tanstack/react-table';
// Tables outside React (as useTable does, minus React's bindings).
import { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings';
import { describe, expect, it } from 'vitest';
import { createRankedSortedRowModel } from './ranked-sort';

type R = { id: number; name: string; pid: number; path: string | undefined; mem: number };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const text = (a: unknown, b: unknown) => collator.compare(String(a ?? ''), String(b ?? ''));

function featuresWith(sortedRowModel: ReturnType<typeof createSortedRowModel>) {
  return tableFeatures({
    coreReactivityFeature: storeReactivityBindings(),
    rowSortingFeature,
    columnFilteringFeature,
    globalFilteringFeature,
    sortedRowModel,
    filteredRowModel: createFilteredRowModel(),
    sortFns: { basic: sortFn_basic },
  });
}

// Many ties (names, memory) and undefined paths: the cases where orders can differ.
const NAMES = ['nginx', 'Nginx', 'postgres', 'bash', 'bash2', 'bash10', 'élan', 'elan', ''];
const data: R[] = Array.from({ length: 600 }, (_, i) => ({
  id: i,
  name: NAMES[(i * 7) % NAMES.length] as string,
  pid: (i * 7919) % 1000,
  path: i % 5 === 0 ? undefined : `/usr/bin/${NAMES[i % NAMES.length]}${i % 3}`,
  mem: Math.round(((i * 37) % 11) * 10) / 10,
}));

function build(sortedRowModel: ReturnType<typeof createSortedRowModel>) {
  const features = featuresWith(sortedRowModel);
  const h = createColumnHelper<typeof features, R>();
  const columns = h.columns([
    h.accessor('name', { id: 'name', sortFn: (a, b, id) => text(a.getValue(id), b.getValue(id)) }),
    h.accessor('pid', { id: 'pid', sortFn: 'basic' }),
    h.accessor((r) => r.path, {
      id: 'path',
      sortUndefined: 'last',
      sortFn: (a, b, id) => text(a.getValue(id), b.getValue(id)),
    }),
    h.accessor('mem', { id: 'mem', sortFn: 'basic', invertSorting: true }),
  ]);
  return constructTable({
    features,
    columns,
    data,
    getRowId: (r) => String(r.id),
    globalFilterFn: (row, _id, needle: string) =>
      `${row.original.name}\u0000${row.original.path ?? ''}`.includes(needle),
    getColumnCanGlobalFilter: (c) => c.id === 'name',
  });
}

const ids = (t: ReturnType<typeof build>) => t.getRowModel().rows.map((r) => r.id);

describe('createRankedSortedRowModel', () => {
  it("orders rows exactly as TanStack's sorted row model, for every column, direction and filter", () => {
    const ranked = build(createRankedSortedRowModel());
    const stock = build(createSortedRowModel());
    for (const filter of ['', 'bash', 'nginx', 'zzz-no-match', 'bash', '']) {
      for (const id of ['name', 'pid', 'path', 'mem', 'name']) {
        for (const desc of [false, true, false]) {
          for (const t of [ranked, stock]) {
            t.setGlobalFilter(filter);
            t.setSorting([{ id, desc }]);
          }
          expect(ids(ranked), `${id} ${desc ? 'desc' : 'asc'} filter "${filter}"`).toEqual(ids(stock));
        }
      }
    }
  });

  it('follows new data (ranks are per data set) and multi-column sorting', () => {
    const ranked = build(createRankedSortedRowModel());
    const stock = build(createSortedRowModel());
    const sorting = [
      { id: 'name', desc: true },
      { id: 'pid', desc: false },
    ];
    for (const t of [ranked, stock]) t.setSorting(sorting);
    expect(ids(ranked)).toEqual(ids(stock));
    const changed = data.map((r) => ({ ...r, pid: 1000 - r.pid, name: r.name.toUpperCase() }));
    for (const t of [ranked, stock]) t.setOptions((o) => ({ ...o, data: changed }));
    expect(ids(ranked)).toEqual(ids(stock));
  });
});
