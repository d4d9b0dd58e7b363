import {
  columnFilteringFeature,
  constructTable,
  createColumnHelper,
  createFilteredRowModel,
  globalFilteringFeature,
  tableFeatures,
} from '@tanstack/react-table';
// Tables outside React (as useTable does, minus React's bindings).
import { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings';
import { describe, expect, it } from 'vitest';
import { createSearchFilteredRowModel } from './search-filtered-row-model';
import { createSearchFilterFn } from './table-features';

type R = { id: number; name: string; path: string | null };

const NAMES = ['nginx', 'Nginx', 'postgres', 'bash', 'bash2', 'ÉLAN', 'elan', ''];
const data: R[] = Array.from({ length: 500 }, (_, i) => ({
  id: i,
  name: NAMES[(i * 7) % NAMES.length] as string,
  path: i % 5 === 0 ? null : `/usr/bin/${NAMES[i % NAMES.length]}${i % 3}`,
}));

function build(filteredRowModel: ReturnType<typeof createFilteredRowModel>) {
  const features = tableFeatures({
    coreReactivityFeature: storeReactivityBindings(),
    columnFilteringFeature,
    globalFilteringFeature,
    filteredRowModel,
  });
  const h = createColumnHelper<typeof features, R>();
  return constructTable({
    features,
    columns: h.columns([h.accessor('name', { id: 'name' }), h.accessor((r) => r.path ?? undefined, { id: 'path' })]),
    data,
    getRowId: (r) => String(r.id),
    // The same search text for both tables; only the stock one calls it through the filter function.
    globalFilterFn: createSearchFilterFn<R>((r) => `${r.name}\u0000${r.path ?? ''}`) as never,
    getColumnCanGlobalFilter: (c) => c.id === 'name',
  });
}

const ids = (t: ReturnType<typeof build>) => t.getRowModel().rows.map((r) => r.id);

describe('createSearchFilteredRowModel', () => {
  it("keeps exactly the rows TanStack's filtered row model keeps, as a filter is typed, changed and cleared", () => {
    const fast = build(createSearchFilteredRowModel());
    const stock = build(createFilteredRowModel());
    // Typed letter by letter (each extends the last: the narrowing path), replaced, cased, padded, cleared.
    const filters = [
      'b',
      'ba',
      'bas',
      'bash',
      'bash2',
      'bash',
      'nginx',
      'NGINX',
      '  elan ',
      'élan',
      '/usr/bin/',
      'zz',
      '',
    ];
    for (const filter of filters) {
      for (const t of [fast, stock]) t.setGlobalFilter(filter);
      expect(ids(fast), `filter "${filter}"`).toEqual(ids(stock));
    }
    fast.setGlobalFilter('bash');
    expect(fast.getRowModel().rows.every((r) => `${r.original.name}${r.original.path}`.includes('bash'))).toBe(true);
    expect(fast.getRowModel().rows.length).toBeGreaterThan(0);
  });

  it('follows new data, and leaves a column filter to the stock model', () => {
    const fast = build(createSearchFilteredRowModel());
    const stock = build(createFilteredRowModel());
    for (const t of [fast, stock]) t.setGlobalFilter('nginx');
    expect(ids(fast)).toEqual(ids(stock));
    const changed = data.map((r) => ({ ...r, name: r.id % 2 ? 'nginx-worker' : 'other' }));
    for (const t of [fast, stock]) {
      t.setOptions((o) => ({ ...o, data: changed }));
      t.setGlobalFilter('nginx-');
    }
    expect(ids(fast)).toEqual(ids(stock));
    expect(ids(fast)).toHaveLength(250);
    for (const t of [fast, stock]) t.setColumnFilters([{ id: 'path', value: 'bin/bash' }]);
    expect(ids(fast)).toEqual(ids(stock));
  });
});
