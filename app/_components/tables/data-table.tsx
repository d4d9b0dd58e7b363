'use client';

import { useTable, type ColumnSort, type FilterFn, type RowData } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronsUpDown, SearchX } from 'lucide-react';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { ColumnMenu } from './column-menu';
import { columnFacts, dataTableOptions, type DataColumnDef, type DataTableFeatures } from './table-features';
import type { TableParams } from '../url/url-params';
import { TableToolbar } from './table-toolbar';
import { UntrustedText } from './untrusted-text';
import { useTableUrlState, useUrlFilter } from './use-table-url-state';

/** Every row, and the header, is exactly this tall: the virtualizer never measures. */
const ROW_HEIGHT = 32;

export interface DataTableProps<TData extends RowData> {
  /** Accessible name of the table, e.g. "Processes". */
  label: string;
  /** Keep stable between renders (query data is). */
  data: ReadonlyArray<TData>;
  /** Define at module scope; every column needs an `id` and `meta`. */
  columns: ReadonlyArray<DataColumnDef<TData>>;
  getRowId: (row: TData) => string;
  /** Built once at module scope with `createSearchFilterFn`. */
  filterFn: FilterFn<DataTableFeatures, TData>;
  filterPlaceholder: string;
  /** URL search-param names of this table's sort, visible columns and filter (the page's params). */
  urlKeys: TableParams;
  defaultSort: ColumnSort;
  /** Shown in place of rows when `data` is empty. */
  emptyState: ReactNode;
  /** A row whose details are open elsewhere (a side panel) is highlighted. */
  selectedRowId?: string | null;
  /**
   * `data` is only the first screen of a larger set, chosen (on the server) for these raw URL
   * values of the sort and the filter; under any other sort or filter the table waits for the
   * whole set instead of ordering a part of it. `stale`: the caller's own filters moved on.
   */
  partial?: { total: number; sort: string | null; filter: string | null; stale: boolean };
}

const NO_ROWS: readonly never[] = [];

// Class names of rows and cells, merged once instead of for every cell of every render.
const ROW_CLASS = {
  even: cn('group hover:bg-surface-2'),
  odd: cn('group hover:bg-surface-2', 'bg-surface-2/40'),
  selected: cn('group hover:bg-surface-2', 'bg-info-bg hover:bg-info-bg'),
};
const CELL_BASE = 'overflow-hidden border-b border-border/60 px-2 text-ellipsis whitespace-nowrap';
const CELL_CLASS = { start: cn(CELL_BASE), end: cn(CELL_BASE, 'text-right tabular-nums') };

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { label, columns, getRowId, filterFn, urlKeys, defaultSort, emptyState, selectedRowId, partial } = props;
  const facts = useMemo(() => columnFacts(columns), [columns]);
  const url = useTableUrlState({
    sortKey: urlKeys.sort,
    colsKey: urlKeys.cols,
    defaultSort,
    columnIds: facts.ids,
    sortableIds: facts.sortable,
    hiddenByDefault: facts.hiddenByDefault,
  });
  const filter = useUrlFilter(urlKeys.filter);
  const waiting =
    partial !== undefined &&
    (partial.stale ||
      url.rawSort !== partial.sort ||
      filter.committed !== (partial.filter ?? '') ||
      // No first-screen row: whether the run or just this filter is empty, the whole set tells.
      props.data.length === 0);
  const data = waiting ? NO_ROWS : props.data;

  const table = useTable({
    ...dataTableOptions({ columns, data, getRowId, filterFn, sorting: url.sorting, globalFilter: filter.committed }),
    state: { sorting: url.sorting, columnVisibility: url.columnVisibility, globalFilter: filter.committed },
    onSortingChange: url.setSorting,
    onColumnVisibilityChange: url.setColumnVisibility,
    // The filter box owns this slice (through the URL); the table only reads it.
    onGlobalFilterChange: () => {},
  });

  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  // A note for React Compiler (not used here): TanStack Virtual's functions must not be memoized.
  // eslint-disable-next-line react-hooks/incompatible-library -- nothing memoizes this component
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    paddingStart: ROW_HEIGHT,
    // Rows beyond the viewport are rendered on every sort and filter too: a few are enough to scroll.
    overscan: 6,
    initialRect: { width: 1200, height: 640 },
    useFlushSync: false,
  });

  // A new order or filter starts at the top, not somewhere in the middle of different rows. Only a
  // scrolled table is scrolled: scrollTo forces a layout of the new rows before the frame does it.
  const sortKey = JSON.stringify(url.sorting);
  useEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) > 0) scrollRef.current?.scrollTo({ top: 0 });
  }, [sortKey, filter.committed, virtualizer]);

  const visibleColumns = table.getVisibleLeafColumns();
  const minWidth = visibleColumns.reduce((sum, c) => sum + (c.columnDef.meta?.width ?? 120), 0);
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - ROW_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const colSpan = visibleColumns.length;

  return (
    <div className="flex flex-col gap-2">
      <TableToolbar
        filter={filter.text}
        onFilterChange={filter.setFilter}
        onClear={filter.clearFilter}
        placeholder={props.filterPlaceholder}
        shown={rows.length}
        total={data.length}
        loadingTotal={partial?.total}
      >
        <ColumnMenu
          columns={table
            .getAllLeafColumns()
            .filter((c) => c.getCanHide())
            .map((c) => ({
              id: c.id,
              label: c.columnDef.meta?.label ?? c.id,
              visible: c.getIsVisible(),
            }))}
          onToggle={(id, visible) => table.getColumn(id)?.toggleVisibility(visible)}
          onReset={url.resetColumnVisibility}
        />
      </TableToolbar>
      <div
        ref={scrollRef}
        className="relative h-[calc(100vh-19rem)] min-h-[400px] overflow-auto rounded-lg border border-border bg-surface"
      >
        <table
          aria-label={label}
          aria-rowcount={rows.length + 1}
          className="w-full table-fixed border-separate border-spacing-0 text-[13px]"
          style={{ minWidth }}
        >
          <colgroup>
            {visibleColumns.map((c) => (
              <col key={c.id} style={{ width: c.columnDef.meta?.width ?? 120 }} />
            ))}
          </colgroup>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const column = header.column;
                  const sorted = column.getIsSorted();
                  const end = column.columnDef.meta?.align === 'end';
                  const SortIcon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ChevronsUpDown;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                      style={{ height: ROW_HEIGHT }}
                      className={cn(
                        'sticky top-0 z-10 border-b border-border bg-surface-2 p-0 text-xs font-medium whitespace-nowrap',
                        sorted ? 'text-fg' : 'text-muted',
                      )}
                    >
                      {column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={column.getToggleSortingHandler()}
                          className={cn(
                            'group/sort flex h-full w-full items-center gap-1 px-2 hover:text-fg focus-visible:outline-offset-[-2px]',
                            end && 'flex-row-reverse',
                          )}
                        >
                          <span className="truncate">
                            <table.FlexRender header={header} />
                          </span>
                          <SortIcon
                            aria-hidden
                            className={cn('size-3 shrink-0', !sorted && 'opacity-0 group-hover/sort:opacity-60')}
                          />
                        </button>
                      ) : (
                        <span className={cn('block truncate px-2', end && 'text-right')}>
                          <table.FlexRender header={header} />
                        </span>
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden>
                <td colSpan={colSpan} style={{ height: padTop, padding: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              // Keyed by position: a new order or filter updates the rows on screen in place instead of
              // unmounting them all and mounting new ones. A cell with state of its own keys it by
              // its value (see CopyButton in hash-cell.tsx).
              return (
                <tr
                  key={item.index}
                  aria-rowindex={item.index + 2}
                  style={{ height: ROW_HEIGHT }}
                  data-selected={row.id === selectedRowId ? true : undefined}
                  className={
                    row.id === selectedRowId
                      ? ROW_CLASS.selected
                      : item.index % 2 === 1
                        ? ROW_CLASS.odd
                        : ROW_CLASS.even
                  }
                >
                  {row.getVisibleCells().map((cell) => (
                    <td
                      key={cell.column.id}
                      className={cell.column.columnDef.meta?.align === 'end' ? CELL_CLASS.end : CELL_CLASS.start}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden>
                <td colSpan={colSpan} style={{ height: padBottom, padding: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
        {waiting ? (
          <div role="status" className="sticky left-0 p-8 text-center text-sm text-muted">
            Loading all {partial.total.toLocaleString('en-US')} rows to show this order and filter…
          </div>
        ) : data.length === 0 ? (
          <div className="sticky left-0 p-8">{emptyState}</div>
        ) : rows.length === 0 ? (
          <div className="sticky left-0 flex flex-col items-center gap-3 p-10 text-center">
            <SearchX className="size-6 text-muted" aria-hidden />
            <p className="text-sm">
              No rows match “<UntrustedText value={filter.committed} title={false} />”
            </p>
            <Button size="sm" onClick={filter.clearFilter}>
              Clear filter
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
