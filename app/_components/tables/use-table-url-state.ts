'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  functionalUpdate,
  type ColumnSort,
  type ColumnVisibilityState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { formatSort, formatVisibility, parseSort, parseVisibility } from './table-url-codec';
import { updateUrlParams, useUrlParam } from '../url/url-state';

/**
 * Table state lives in the URL (the page's store, url-state.tsx) so a copied link restores the
 * view. The page names the keys (its params module); their values (table-url-codec.ts):
 *
 * - filter   the filter text (absent: no filter)
 * - sort     `<columnId>.<asc|desc>`, e.g. `sort=memory.desc` (absent: the table's default)
 * - cols     comma-separated ids of the visible columns, in table order
 *            (absent: the default set; written only when it differs from the default)
 */
export interface TableUrlStateOptions {
  sortKey: string;
  colsKey: string;
  defaultSort: ColumnSort;
  columnIds: readonly string[];
  sortableIds: ReadonlySet<string>;
  hiddenByDefault: ReadonlySet<string>;
}

/** Sorting and column visibility as controlled TanStack state backed by the URL. */
export function useTableUrlState(o: TableUrlStateOptions) {
  const update = updateUrlParams;
  const rawSort = useUrlParam(o.sortKey);
  const rawCols = useUrlParam(o.colsKey);
  const { sortKey, colsKey, defaultSort, columnIds, sortableIds, hiddenByDefault } = o;

  const sorting = useMemo(() => parseSort(rawSort, sortableIds, defaultSort), [rawSort, sortableIds, defaultSort]);
  const columnVisibility = useMemo(
    () => parseVisibility(rawCols, columnIds, hiddenByDefault),
    [rawCols, columnIds, hiddenByDefault],
  );

  const setSorting = useCallback(
    (updater: Updater<SortingState>) =>
      update({ [sortKey]: formatSort(functionalUpdate(updater, sorting), defaultSort) }),
    [update, sortKey, sorting, defaultSort],
  );
  const setColumnVisibility = useCallback(
    (updater: Updater<ColumnVisibilityState>) =>
      update({ [colsKey]: formatVisibility(functionalUpdate(updater, columnVisibility), columnIds, hiddenByDefault) }),
    [update, colsKey, columnVisibility, columnIds, hiddenByDefault],
  );
  const resetColumnVisibility = useCallback(() => update({ [colsKey]: null }), [update, colsKey]);

  return { rawSort, sorting, setSorting, columnVisibility, setColumnVisibility, resetColumnVisibility };
}

/**
 * The filter box: the input updates at once, the URL (and so the table) ~150 ms after typing stops.
 * Returns the committed value the table filters by.
 */
export function useUrlFilter(key: string, delayMs = 150) {
  const update = updateUrlParams;
  const committed = useUrlParam(key) ?? '';
  const [text, setText] = useState(committed);
  const lastWritten = useRef(committed);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<string | null>(null);

  // Follow changes made elsewhere (back/forward, a "Clear filter" button, another view).
  useEffect(() => {
    if (committed !== lastWritten.current && pending.current === null) {
      lastWritten.current = committed;
      setText(committed);
    }
  }, [committed]);

  const write = useCallback(
    (value: string) => {
      pending.current = null;
      lastWritten.current = value;
      update({ [key]: value || null });
    },
    [update, key],
  );

  const setFilter = useCallback(
    (value: string) => {
      setText(value);
      pending.current = value;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => write(value), delayMs);
    },
    [write, delayMs],
  );

  const clearFilter = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    setText('');
    write('');
  }, [write]);

  // Keep what was typed when the view unmounts mid-debounce (e.g. switching tabs).
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (pending.current !== null) write(pending.current);
    },
    [write],
  );

  return { text, committed, setFilter, clearFilter };
}
