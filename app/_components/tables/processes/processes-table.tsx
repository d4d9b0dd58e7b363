'use client';

import { Inbox } from 'lucide-react';
import Link from 'next/link';
import { AllTriaged } from '@/app/_components/triage/all-triaged';
import { UntriagedToggle, useUntriagedFilter } from '@/app/_components/triage/triage-filter';
import type { ProcessRow } from '@/app/_trpc/types';
import { DataTable } from '../data-table';
import { FlagFilterBar, useFlagFilter } from './analysis-filter';
import { processColumns, processesDefaultSort, processesFilterFn, processRowId } from './columns';
import { runParams } from '@/app/runs/[runId]/run-params';
import type { ProcessesFirstScreen } from './first-screen';
import { parseFlag } from './flag-filter';

export function ProcessesTable({
  rows,
  firstScreen,
  minMemoryPercent,
}: {
  rows: ReadonlyArray<ProcessRow>;
  /** `rows` are only this first screen of a large run (see first-screen.ts). */
  firstScreen?: ProcessesFirstScreen;
  minMemoryPercent: number;
}) {
  const flags = useFlagFilter(rows, firstScreen?.counts);
  const triage = useUntriagedFilter(flags.filtered);
  const partial = firstScreen && {
    total: firstScreen.total,
    sort: firstScreen.search.sort,
    filter: firstScreen.search.filter,
    // The server chose the first screen without the triage filter, and for the badge in its URL.
    stale: flags.flag !== parseFlag(firstScreen.search.flag) || triage.on,
  };
  return (
    <div className="space-y-3">
      <FlagFilterBar flag={flags.flag} setFlag={flags.setFlag} counts={flags.counts} />
      <UntriagedToggle on={triage.on} count={triage.count} />
      <DataTable
        label="Processes"
        data={triage.rows}
        columns={processColumns}
        getRowId={processRowId}
        filterFn={processesFilterFn}
        filterPlaceholder="Filter by name, user, PID, path or hash"
        urlKeys={runParams.processesTable}
        defaultSort={processesDefaultSort}
        partial={partial}
        emptyState={
          triage.on && flags.filtered.length > 0 ? (
            <AllTriaged />
          ) : flags.flag !== '' && rows.length > 0 ? (
            <div className="flex flex-col items-center gap-2 text-center">
              <Inbox className="size-6 text-muted" aria-hidden />
              <p className="text-sm font-medium">No process in this run has that badge</p>
              <button
                type="button"
                className="text-sm font-medium text-accent hover:underline"
                onClick={() => flags.setFlag('')}
              >
                Show all processes
              </button>
            </div>
          ) : (
            <div className="flex flex-col items-center gap-2 text-center">
              <Inbox className="size-6 text-muted" aria-hidden />
              <p className="text-sm font-medium">No processes were kept</p>
              <p className="max-w-md text-sm text-muted">
                {minMemoryPercent > 0
                  ? `This run kept only processes using at least ${minMemoryPercent}% of memory, and none did. `
                  : 'This run recorded no processes. '}
                Start a new run with a lower Minimum memory % from the{' '}
                <Link href="/" className="font-medium text-accent hover:underline">
                  dashboard
                </Link>
                .
              </p>
            </div>
          )
        }
      />
    </div>
  );
}
