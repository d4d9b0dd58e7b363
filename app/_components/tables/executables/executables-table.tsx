'use client';

import { Inbox } from 'lucide-react';
import { useCallback, useId, useMemo, useState } from 'react';
import { UntriagedToggle, useUntriagedFilter } from '@/app/_components/triage/triage-filter';
import type { ExecutableRow } from '@/app/_trpc/types';
import { AllTriaged } from '@/app/_components/triage/all-triaged';
import { runParams } from '@/app/runs/[runId]/run-params';
import { DataTable } from '../data-table';
import { executableColumns, executableRowId, executablesDefaultSort, executablesFilterFn } from './columns';
import { EngineDetailsContext, EnginePanel, engineToggleId } from './engine-details';

export function ExecutablesTable({ rows }: { rows: ReadonlyArray<ExecutableRow> }) {
  const panelId = useId();
  const [openSha, setOpenSha] = useState<string | null>(null);
  const toggle = useCallback((sha256: string) => setOpenSha((cur) => (cur === sha256 ? null : sha256)), []);
  const details = useMemo(() => ({ openSha, panelId, toggle }), [openSha, panelId, toggle]);
  const triage = useUntriagedFilter(rows);
  // Rows are refetched while a check runs: look the open one up again so the panel follows.
  const openRow = openSha ? rows.find((r) => r.sha256 === openSha) : undefined;

  const close = useCallback(() => {
    const sha = openSha;
    setOpenSha(null);
    // Back to the row's toggle, if it is still rendered (the table is virtualized).
    if (sha) requestAnimationFrame(() => document.getElementById(engineToggleId(sha))?.focus());
  }, [openSha]);

  return (
    <EngineDetailsContext.Provider value={details}>
      <div className="flex flex-col gap-4 lg:flex-row lg:items-start">
        <div className="min-w-0 flex-1 space-y-3">
          <UntriagedToggle on={triage.on} count={triage.count} />
          <DataTable
            label="Executables"
            data={triage.rows}
            columns={executableColumns}
            getRowId={executableRowId}
            filterFn={executablesFilterFn}
            filterPlaceholder="Filter by hash, name, path or threat label"
            urlKeys={runParams.executablesTable}
            defaultSort={executablesDefaultSort}
            selectedRowId={openRow ? openRow.sha256 : null}
            emptyState={
              triage.on && rows.length > 0 ? (
                <AllTriaged />
              ) : (
                <div className="flex flex-col items-center gap-2 text-center">
                  <Inbox className="size-6 text-muted" aria-hidden />
                  <p className="text-sm font-medium">No executables were hashed</p>
                  <p className="max-w-md text-sm text-muted">
                    None of the kept processes had an executable this run could read. Check the Exe status column in the
                    Processes view.
                  </p>
                </div>
              )
            }
          />
        </div>
        {openRow && (
          <div className="w-full shrink-0 lg:w-[26rem]">
            <EnginePanel row={openRow} id={panelId} onClose={close} />
          </div>
        )}
      </div>
    </EngineDetailsContext.Provider>
  );
}
