import {
  tableMemo,
  type Row,
  type RowData,
  type RowModel,
  type Table,
  type TableFeatures,
} from '@tanstack/react-table';

/**
 * A sorted row model that pays a column's comparator (a collator for text) once per data set, not
 * on every sort click or filter keystroke. The first sort by a column orders all rows with the
 * column's own sort function and keeps each row's rank (equal values share one); any later order
 * on that column, either direction, is an integer sort of ranks. The whole data set is ordered once
 * per sorting and a filtered view keeps the rows of that order that passed the filter, so typing
 * in the filter box never sorts again.
 *
 * It gives the same order as TanStack's createSortedRowModel for flat rows (ties keep data order;
 * `desc`, `invertSorting` and `sortUndefined` as there). Rows with sub-rows are not supported: the
 * data tables here are flat.
 */
interface ColumnRanks {
  rank: Int32Array;
  undef: Uint8Array;
}

export function createRankedSortedRowModel<TFeatures extends TableFeatures, TData extends RowData>(): (
  table: Table<TFeatures, TData>,
) => () => RowModel<TFeatures, TData> {
  return (table) => {
    // Per core row model (the data): each column's ranks, and the full order per sorting.
    let cacheFor: RowModel<TFeatures, TData> | null = null;
    let ranks = new Map<string, ColumnRanks>();
    let orders = new Map<string, Array<Row<TFeatures, TData>>>();
    const t = table as unknown as TableWithSorting<TFeatures, TData>;

    const columnRanks = (rows: ReadonlyArray<Row<TFeatures, TData>>, id: string): ColumnRanks | null => {
      const cached = ranks.get(id);
      if (cached) return cached;
      const column = t.getColumn(id);
      if (!column) return null;
      const sortFn = column.getSortFn();
      const n = rows.length;
      const undef = new Uint8Array(n);
      for (let i = 0; i < n; i++) undef[i] = (rows[i] as Row<TFeatures, TData>).getValue(id) === undefined ? 1 : 0;
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((a, b) => sortFn(rows[a] as Row<TFeatures, TData>, rows[b] as Row<TFeatures, TData>, id) || a - b);
      const rank = new Int32Array(n);
      let r = 0;
      for (let k = 0; k < n; k++) {
        const i = idx[k] as number;
        const prev = k > 0 ? (idx[k - 1] as number) : -1;
        if (prev >= 0 && sortFn(rows[prev] as Row<TFeatures, TData>, rows[i] as Row<TFeatures, TData>, id) !== 0) r++;
        rank[i] = r;
      }
      const result = { rank, undef };
      ranks.set(id, result);
      return result;
    };

    const fullOrder = (rows: ReadonlyArray<Row<TFeatures, TData>>, sorting: ReadonlyArray<SortEntry>) => {
      const key = JSON.stringify(sorting);
      const cached = orders.get(key);
      if (cached) return cached;
      const keys: Array<{ r: ColumnRanks; sign: number; sortUndefined: SortEntry['sortUndefined'] }> = [];
      for (const s of sorting) {
        const column = t.getColumn(s.id);
        if (!column || !column.getCanSort()) continue;
        const r = columnRanks(rows, s.id);
        if (!r) continue;
        const def = column.columnDef;
        keys.push({ r, sign: (s.desc ? -1 : 1) * (def.invertSorting ? -1 : 1), sortUndefined: def.sortUndefined });
      }
      if (keys.length === 0) return null;
      const idx = Array.from({ length: rows.length }, (_, i) => i);
      idx.sort((a, b) => {
        for (const { r, sign, sortUndefined } of keys) {
          if (sortUndefined) {
            const ua = r.undef[a] === 1;
            const ub = r.undef[b] === 1;
            if (ua && ub) continue;
            if (ua || ub) {
              if (sortUndefined === 'first') return ua ? -1 : 1;
              if (sortUndefined === 'last') return ua ? 1 : -1;
              return (ua ? sortUndefined : -sortUndefined) * sign;
            }
          }
          const d = (r.rank[a] as number) - (r.rank[b] as number);
          if (d !== 0) return d * sign;
        }
        return a - b;
      });
      const order = idx.map((i) => rows[i] as Row<TFeatures, TData>);
      orders.set(key, order);
      return order;
    };

    return tableMemo({
      feature: 'rowSortingFeature',
      table,
      fnName: 'table.getSortedRowModel',
      memoDeps: () => [t.atoms.sorting?.get(), t.getPreSortedRowModel(), t.getCoreRowModel()],
      fn: () => {
        const pre = t.getPreSortedRowModel();
        const core = t.getCoreRowModel();
        const sorting = t.atoms.sorting?.get();
        if (!pre.rows.length || !sorting?.length) return pre;
        if (cacheFor !== core) {
          cacheFor = core;
          ranks = new Map();
          orders = new Map();
        }
        const order = fullOrder(core.rows, sorting);
        if (!order) return pre;
        let rows: Array<Row<TFeatures, TData>>;
        if (pre.rows.length === core.rows.length) rows = order;
        else {
          // Rows are flat: a row's index is its place in the data, so a byte per row marks the kept ones.
          const kept = new Uint8Array(core.rows.length);
          for (const r of pre.rows) kept[r.index] = 1;
          rows = order.filter((r) => kept[r.index] === 1);
        }
        return { rows, flatRows: rows, rowsById: pre.rowsById };
      },
    });
  };
}

/** The parts of a table with the sorting feature this model reads (the generic Table lacks them). */
interface SortEntry {
  id: string;
  desc: boolean;
  sortUndefined?: false | -1 | 1 | 'first' | 'last';
}
interface TableWithSorting<TFeatures extends TableFeatures, TData extends RowData> {
  atoms: { sorting?: { get(): ReadonlyArray<SortEntry> | undefined } };
  getPreSortedRowModel(): RowModel<TFeatures, TData>;
  getCoreRowModel(): RowModel<TFeatures, TData>;
  getColumn(id: string):
    | {
        getSortFn(): (a: Row<TFeatures, TData>, b: Row<TFeatures, TData>, id: string) => number;
        getCanSort(): boolean;
        columnDef: { invertSorting?: boolean; sortUndefined?: SortEntry['sortUndefined'] };
      }
    | undefined;
}
