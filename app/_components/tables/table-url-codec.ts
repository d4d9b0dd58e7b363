import type { ColumnSort, ColumnVisibilityState, SortingState } from '@tanstack/react-table';

/**
 * How table state is written in the URL (pure, so it is unit-tested):
 * - sort: `<columnId>.<asc|desc>`; absent or invalid means the table's default sort
 * - visible columns: comma-separated column ids in table order; absent, empty or unknown ids
 *   mean the default set, and the default set is never written
 */
/**
 * Every column id a shared link may carry, per table. Links outlive releases, so an id is never
 * renamed or reused; a new column is added here (the codec test checks the tables against this).
 * `details` (the executables' row toggle) cannot be hidden and is never written.
 */
export const URL_COLUMN_IDS = {
  processes: [
    'name',
    'pid',
    'ppid',
    'user',
    'euser',
    'heuristics',
    'state',
    'memory',
    'vtScore',
    'verdict',
    'cpu',
    'exe',
    'exeStatus',
    'package',
    'integrity',
    'md5',
    'sha1',
    'sha256',
    'cmdline',
  ],
  executables: [
    'vtScore',
    'verdict',
    'triage',
    'detections',
    'threatLabel',
    'names',
    'sha256',
    'processes',
    'vtLink',
    'paths',
    'md5',
    'sha1',
    'size',
    'memory',
  ],
} as const satisfies Record<string, readonly string[]>;

export function parseSort(raw: string | null, sortable: ReadonlySet<string>, fallback: ColumnSort): SortingState {
  if (raw) {
    const dot = raw.lastIndexOf('.');
    const id = dot > 0 ? raw.slice(0, dot) : raw;
    const dir = dot > 0 ? raw.slice(dot + 1) : 'asc';
    if (sortable.has(id) && (dir === 'asc' || dir === 'desc')) return [{ id, desc: dir === 'desc' }];
  }
  return [fallback];
}

export function formatSort(sorting: SortingState, fallback: ColumnSort): string | null {
  const first = sorting[0];
  if (!first || (first.id === fallback.id && first.desc === fallback.desc)) return null;
  return `${first.id}.${first.desc ? 'desc' : 'asc'}`;
}

export function parseVisibility(
  raw: string | null,
  columnIds: readonly string[],
  hiddenByDefault: ReadonlySet<string>,
): ColumnVisibilityState {
  const wanted = raw ? new Set(raw.split(',').filter((id) => columnIds.includes(id))) : null;
  const visible = wanted && wanted.size > 0 ? wanted : null;
  return Object.fromEntries(columnIds.map((id) => [id, visible ? visible.has(id) : !hiddenByDefault.has(id)]));
}

export function formatVisibility(
  state: ColumnVisibilityState,
  columnIds: readonly string[],
  hiddenByDefault: ReadonlySet<string>,
): string | null {
  const visible = columnIds.filter((id) => state[id] !== false);
  const isDefault = columnIds.every((id) => (state[id] !== false) === !hiddenByDefault.has(id));
  return isDefault || visible.length === 0 ? null : visible.join(',');
}
