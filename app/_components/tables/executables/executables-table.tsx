'use client';

import { Inbox } from 'lucide-react';
import type { ExecutableRow } from '@/app/_trpc/types';
import { DataTable } from '../data-table';
import { executableColumns, executableRowId, executablesDefaultSort, executablesFilterFn } from './columns';

const urlKeys = { sort: 'xsort', cols: 'xcols' };

export function ExecutablesTable({ rows }: { rows: ReadonlyArray<ExecutableRow> }) {
  return (
    <DataTable
      label="Executables"
      data={rows}
      columns={executableColumns}
      getRowId={executableRowId}
      filterFn={executablesFilterFn}
      filterPlaceholder="Filter by hash, name or path"
      urlKeys={urlKeys}
      defaultSort={executablesDefaultSort}
      emptyState={
        <div className="flex flex-col items-center gap-2 text-center">
          <Inbox className="size-6 text-muted" aria-hidden />
          <p className="text-sm font-medium">No executables were hashed</p>
          <p className="max-w-md text-sm text-muted">
            None of the kept processes had an executable this run could read. Check the Exe status column in the
            Processes view.
          </p>
        </div>
      }
    />
  );
}
