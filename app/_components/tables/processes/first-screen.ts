import type { ProcessRow } from '@/app/_trpc/types';
import { runParams } from '@/app/runs/[runId]/run-params';
import { columnFacts, firstRows } from '../table-features';
import { parseSort } from '../table-url-codec';
import { processColumns, processesDefaultSort, processesFilterFn, processRowId } from './columns';
import { flagCounts, matchesFlag, parseFlag, type FlagCounts } from './flag-filter';

/**
 * A large run's page arrives with its first screen of processes only, in the order and filter its
 * URL asks for, rendered on the server; the browser fetches the whole run after hydration. Enough
 * rows for a tall screen plus the table's overscan.
 */
export const FIRST_SCREEN_ROWS = 100;

export interface ProcessesFirstScreen {
  /** The first rows of the table as the URL below shows it. */
  rows: ProcessRow[];
  /** Rows in the whole run. */
  total: number;
  /** Badge counts over the whole run (the filter bar shows them). */
  counts: FlagCounts;
  /** The raw URL values these rows were chosen for; any other value needs the whole run. */
  search: { sort: string | null; filter: string | null; flag: string | null };
}

const facts = columnFacts(processColumns);

const urlValues = (search: URLSearchParams): ProcessesFirstScreen['search'] => ({
  sort: search.get(runParams.processesTable.sort),
  filter: search.get(runParams.processesTable.filter),
  flag: search.get(runParams.flag.key),
});

/**
 * The view a link without table state opens: Memory % descending, no filter, no badge. Its first
 * screen is the first rows of the run as the database orders them (see getRunProcesses), so the
 * server need not read the whole run.
 */
export function isDefaultProcessesView(search: URLSearchParams): boolean {
  const v = urlValues(search);
  return v.sort === null && (v.filter ?? '') === '' && parseFlag(v.flag) === '';
}

/** The default view's first screen from the database's first rows (see isDefaultProcessesView). */
export function defaultFirstScreen(
  head: { rows: ProcessRow[]; total: number; counts: FlagCounts },
  search: URLSearchParams,
): ProcessesFirstScreen {
  return { rows: head.rows, total: head.total, counts: head.counts, search: urlValues(search) };
}

/**
 * Orders and filters with the table's own definition (columns, ranked sort, search text, flag
 * rule), so the browser's table, given these rows, shows the same first screen.
 */
export function processesFirstScreen(
  all: ReadonlyArray<ProcessRow>,
  search: URLSearchParams,
  limit = FIRST_SCREEN_ROWS,
): ProcessesFirstScreen {
  const raw = urlValues(search);
  const flag = parseFlag(raw.flag);
  const rows = firstRows(
    {
      columns: processColumns,
      data: flag === '' ? all : all.filter((r) => matchesFlag(r, flag)),
      getRowId: processRowId,
      filterFn: processesFilterFn,
      sorting: parseSort(raw.sort, facts.sortable, processesDefaultSort),
      globalFilter: raw.filter ?? '',
    },
    limit,
  );
  return { rows, total: all.length, counts: flagCounts(all), search: raw };
}
