import {
  columnFilteringFeature,
  columnVisibilityFeature,
  globalFilteringFeature,
  constructSortFn,
  constructTable,
  metaHelper,
  rowSortingFeature,
  sortFn_basic,
  tableFeatures,
  type ColumnDef,
  type FilterFn,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings';
import { createRankedSortedRowModel } from './ranked-sort';
import { createSearchFilteredRowModel, type SearchKeyed } from './search-filtered-row-model';

/** What the generic data table needs to know about a column beyond TanStack's definition. */
export interface DataColumnMeta {
  /** The name shown in the Columns menu. */
  label: string;
  /** Width in px; the table lays out with `table-layout: fixed` so virtualized rows line up. */
  width: number;
  /** Numbers are right-aligned. */
  align?: 'start' | 'end';
  /** Optional detail columns an analyst turns on from the Columns menu. */
  hiddenByDefault?: boolean;
}

/**
 * Text columns sort with one native collator (natural numbers, case- and accent-insensitive):
 * TanStack's alphanumeric comparator lower-cases and splits both strings on every comparison,
 * which made a sort of 10,000 rows take well over 100 ms.
 */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const sortFn_collated = constructSortFn({
  sort: (a: string, b: string) => collator.compare(a, b),
  resolveDataValue: (v: unknown) => (v === null || v === undefined ? '' : String(v)),
});

/** One feature set for every data table: sort, one text filter across columns, column visibility. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  columnVisibilityFeature,
  // Ranks per column, computed once per data set: re-sorting and filtering stay integer work.
  sortedRowModel: createRankedSortedRowModel(),
  // One plain loop over search texts computed once per data set (see search-filtered-row-model.ts).
  filteredRowModel: createSearchFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_collated, basic: sortFn_basic, text: sortFn_collated },
  columnMeta: metaHelper<DataColumnMeta>(),
});

export type DataTableFeatures = typeof dataTableFeatures;

/** A column of any value type, as the generic table receives them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's own column-array element type
export type DataColumnDef<TData extends RowData> = ColumnDef<DataTableFeatures, TData, any>;

/**
 * The filter box matches a case-insensitive substring of the text `toSearchText` builds for a row
 * (name, user, pid, path, hashes…). The text is computed once per row object and cached, so typing
 * over 10,000 rows stays cheap; the table asks only one column (see `globalFilterColumnId`).
 */
export function createSearchFilterFn<TData extends RowData>(
  toSearchText: (row: TData) => string,
): FilterFn<DataTableFeatures, TData> {
  const cache = new WeakMap<object, string>();
  const searchKey = (original: TData): string => {
    let text = cache.get(original as object);
    if (text === undefined) {
      text = toSearchText(original).toLowerCase();
      cache.set(original as object, text);
    }
    return text;
  };
  const fn: FilterFn<DataTableFeatures, TData> & SearchKeyed<TData> = (row, _columnId, needle: string) =>
    searchKey(row.original).includes(needle);
  fn.resolveFilterValue = (value: unknown) => normalizeFilter(value);
  // The data tables' row model reads the texts directly (see createSearchFilteredRowModel).
  fn.searchKey = searchKey;
  return fn;
}

export function normalizeFilter(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Names and hashes sort A→Z first; measures opt into descending with `sortDescFirst: true`. */
export const defaultColumn = { sortDescFirst: false } as const;

/** What the table state needs to know about a set of columns (the URL codec and the filter). */
export function columnFacts<TData extends RowData>(columns: ReadonlyArray<DataColumnDef<TData>>) {
  // Columns that cannot be hidden (a row's details toggle) stay out of the URL's column list.
  const ids = columns.filter((c) => c.enableHiding !== false).map((c) => c.id ?? '');
  // Only a column with a value can run the global filter; a display column (no accessor) cannot.
  const firstWithValue = columns.find((c) => 'accessorFn' in c || 'accessorKey' in c);
  return {
    ids,
    sortable: new Set(columns.filter((c) => c.enableSorting !== false).map((c) => c.id ?? '')),
    hiddenByDefault: new Set(columns.filter((c) => c.meta?.hiddenByDefault).map((c) => c.id ?? '')),
    firstId: firstWithValue?.id ?? '',
  };
}

export interface RowModelInput<TData extends RowData> {
  columns: ReadonlyArray<DataColumnDef<TData>>;
  data: ReadonlyArray<TData>;
  getRowId: (row: TData) => string;
  filterFn: FilterFn<DataTableFeatures, TData>;
  sorting: SortingState;
  /** The committed filter text (as in the URL). */
  globalFilter: string;
}

/**
 * The table options every data table shares, headless: the browser's table (DataTable) and the
 * server's first screen (`firstRows`) order and filter rows with this one definition.
 */
export function dataTableOptions<TData extends RowData>(input: RowModelInput<TData>) {
  const firstId = columnFacts(input.columns).firstId;
  return {
    features: dataTableFeatures,
    columns: input.columns,
    data: input.data,
    getRowId: input.getRowId,
    defaultColumn,
    globalFilterFn: input.filterFn,
    // The filter function searches the whole row, so asking one column per row is enough.
    getColumnCanGlobalFilter: (column: { id: string }) => column.id === firstId,
    enableMultiSort: false,
    enableSortingRemoval: false,
  };
}

/** The first `limit` rows of `data` as the table shows them for this sort and filter. */
export function firstRows<TData extends RowData>(input: RowModelInput<TData>, limit: number): TData[] {
  const table = constructTable({
    ...dataTableOptions(input),
    // Outside React: plain store atoms, added the way useTable adds React's bindings.
    features: { coreReactivityFeature: storeReactivityBindings(), ...dataTableFeatures } as DataTableFeatures,
    state: { sorting: input.sorting, globalFilter: input.globalFilter, columnVisibility: {} },
  });
  return table
    .getRowModel()
    .rows.slice(0, limit)
    .map((r) => r.original);
}
