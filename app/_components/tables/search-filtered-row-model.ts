import {
  createFilteredRowModel,
  tableMemo,
  type Row,
  type RowData,
  type RowModel,
  type Table,
  type TableFeatures,
} from '@tanstack/react-table';

/**
 * A filter function that matches a lower-cased search text per row (see createSearchFilterFn)
 * exposes it here, so the row model can test 10,000 rows with one plain loop.
 */
export interface SearchKeyed<TData> {
  searchKey?: (original: TData) => string;
}

/**
 * The filtered row model of the data tables. With the one global text filter they use (no column
 * filters), a row passes when its search text contains the filter: the texts are computed once per
 * data set, and a longer filter that extends the previous one narrows the previous result instead
 * of testing every row again. Rows keep their identity and no per-row state is written (TanStack's
 * model writes two fresh objects onto every row on every keystroke). Anything else — a column
 * filter, a filter function without a search text — goes to TanStack's own model.
 */
export function createSearchFilteredRowModel<TFeatures extends TableFeatures, TData extends RowData>(): (
  table: Table<TFeatures, TData>,
) => () => RowModel<TFeatures, TData> {
  const general = createFilteredRowModel<TFeatures, TData>();
  return (table) => {
    const fallback = general(table);
    const t = table as unknown as TableWithFilters<TFeatures, TData>;
    let keysFor: RowModel<TFeatures, TData> | null = null;
    let keys: string[] = [];
    let last: { needle: string; rows: Array<Row<TFeatures, TData>> } | null = null;

    return tableMemo({
      feature: 'columnFilteringFeature',
      table,
      fnName: 'table.getFilteredRowModel',
      memoDeps: () => [t.getPreFilteredRowModel(), t.atoms.columnFilters?.get(), t.atoms.globalFilter?.get()],
      fn: () => {
        const pre = t.getPreFilteredRowModel();
        const searchKey = (t.options.globalFilterFn as SearchKeyed<TData> | undefined)?.searchKey;
        if (t.atoms.columnFilters?.get()?.length || !searchKey) return fallback();
        const raw = t.atoms.globalFilter?.get();
        const needle = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
        if (needle === '' || pre.rows.length === 0) return pre;
        if (keysFor !== pre) {
          keysFor = pre;
          keys = [];
          for (const r of pre.rows) keys[r.index] = searchKey(r.original);
          last = null;
        }
        let rows: Array<Row<TFeatures, TData>>;
        if (last && needle.includes(last.needle)) {
          rows = last.rows.filter((r) => (keys[r.index] as string).includes(needle));
        } else {
          rows = [];
          const all = pre.rows;
          for (const r of all) if ((keys[r.index] as string).includes(needle)) rows.push(r);
        }
        last = { needle, rows };
        return { rows, flatRows: rows, rowsById: pre.rowsById };
      },
    });
  };
}

/** The parts of a table with the filtering features this model reads (the generic Table lacks them). */
interface TableWithFilters<TFeatures extends TableFeatures, TData extends RowData> {
  atoms: { columnFilters?: { get(): ReadonlyArray<unknown> | undefined }; globalFilter?: { get(): unknown } };
  options: { globalFilterFn?: unknown };
  getPreFilteredRowModel(): RowModel<TFeatures, TData>;
}
