'use client';

import * as Tabs from '@radix-ui/react-tabs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useEffect, useRef } from 'react';
import type { ProcessesFirstScreen } from '@/app/_components/tables/processes/first-screen';
import { ProcessesTable } from '@/app/_components/tables/processes/processes-table';
import { setUrlValue, useUrlValue } from '@/app/_components/url/url-state';
import { ErrorCard } from '@/app/_components/error-card';
import { TriageProvider } from '@/app/_components/triage/triage-context';
import { useTRPC } from '@/app/_trpc/client';
import { decodeRowTable, keepSameRowTable } from '@/domain/row-table';
import { RunHeader } from './run-header';
import { RunNotFound } from './run-not-found';
import { runParams } from './run-params';
import { RunPageSkeleton, TableCardSkeleton } from './run-skeleton';
import { isCheckActive, useVtStatus, VtPanel } from './vt-panel';

const TABLE_REFRESH_MS = 2000;

// The Diff tab's code loads when the tab is first opened, not with every run page.
const RunDiffView = dynamic(() => import('./run-diff').then((m) => m.RunDiffView), {
  loading: () => <TableCardSkeleton />,
});
// The Executables tab's table (its columns, the engine details) loads when the tab is shown.
const ExecutablesTable = dynamic(
  () => import('@/app/_components/tables/executables/executables-table').then((m) => m.ExecutablesTable),
  { loading: () => <TableCardSkeleton /> },
);
/** Recharts loads after the page is interactive, never in its first load. */
const RunCharts = dynamic(() => import('./run-charts').then((m) => m.RunCharts), { ssr: false });

const isNotFound = (e: unknown) =>
  typeof e === 'object' &&
  e !== null &&
  'data' in e &&
  (e as { data?: { code?: string } | null }).data?.code === 'NOT_FOUND';

export function RunView({
  runId,
  processesFirstScreen,
}: {
  runId: number;
  /** A large run's first screen of processes, rendered on the server until the whole run is here. */
  processesFirstScreen?: ProcessesFirstScreen | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Only `view` re-renders the page; the tables follow their own keys (sort, filter, columns).
  // The page's URL params are declared in run-params.ts.
  const view = useUrlValue(runParams.view);

  const runQuery = useQuery(
    trpc.runs.byId.queryOptions(
      { runId },
      {
        refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
        retry: (count, error) => !isNotFound(error) && count < 1,
      },
    ),
  );
  const run = runQuery.data;
  const completed = run?.status === 'completed';

  // While VirusTotal answers come in, the tables follow every ~2 s (and once more when the check ends).
  const vtStatus = useVtStatus(runId, completed);
  const vtActive = isCheckActive(vtStatus.data);
  const tableRefresh = vtActive ? TABLE_REFRESH_MS : false;
  const processes = useQuery(
    trpc.runs.processes.queryOptions(
      { runId },
      {
        enabled: completed,
        staleTime: Infinity,
        refetchInterval: tableRefresh,
        // The run travels column by column; the same table refetched keeps its decoded rows.
        structuralSharing: keepSameRowTable,
        select: decodeRowTable,
      },
    ),
  );
  const executables = useQuery(
    trpc.runs.executables.queryOptions(
      { runId },
      { enabled: completed && view === 'executables', staleTime: Infinity, refetchInterval: tableRefresh },
    ),
  );

  const wasActive = useRef(vtActive);
  useEffect(() => {
    if (wasActive.current && !vtActive) {
      void queryClient.invalidateQueries({ queryKey: trpc.runs.processes.queryKey({ runId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.executables.queryKey({ runId }) });
      // The quota card counts the check's last requests now, not at its next poll.
      void queryClient.invalidateQueries({ queryKey: trpc.vt.quota.queryKey() });
    }
    wasActive.current = vtActive;
  }, [vtActive, queryClient, trpc, runId]);

  // A run that finishes while we watch: drop anything cached for it so the tables load fresh.
  const previousStatus = useRef(run?.status);
  useEffect(() => {
    if (previousStatus.current === 'running' && run?.status === 'completed') {
      void queryClient.invalidateQueries({ queryKey: trpc.runs.processes.queryKey({ runId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.executables.queryKey({ runId }) });
    }
    previousStatus.current = run?.status;
  }, [run?.status, queryClient, trpc, runId]);

  if (runQuery.isPending) return <RunPageSkeleton />;
  if (runQuery.isError) {
    if (isNotFound(runQuery.error)) return <RunNotFound runId={runId} />;
    return (
      <ErrorCard
        message={`Could not load the run ${runId}: ${runQuery.error.message}`}
        onRetry={() => void runQuery.refetch()}
      />
    );
  }
  if (!run) return <RunNotFound runId={runId} />;

  return (
    <div className="space-y-4">
      <RunHeader run={run} />
      {completed && <VtPanel runId={runId} status={vtStatus} />}
      {completed && processes.data && <RunCharts rows={processes.data} />}
      {completed && (
        <TriageProvider runId={runId}>
          <Tabs.Root
            value={view}
            onValueChange={(v) => setUrlValue(runParams.view, runParams.view.parse(v))}
            className="space-y-3"
          >
            <Tabs.List aria-label="Run views" className="flex gap-1 border-b border-border">
              {(
                [
                  ['processes', 'Processes', run.processCount],
                  ['executables', 'Executables', run.distinctExecutables],
                ] as const
              ).map(([value, text, count]) => (
                <Tabs.Trigger
                  key={value}
                  value={value}
                  className="-mb-px inline-flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted hover:text-fg data-[state=active]:border-accent data-[state=active]:text-fg"
                >
                  {text}
                  <span className="rounded-full bg-surface-2 px-1.5 text-xs text-muted tabular-nums">{count}</span>
                </Tabs.Trigger>
              ))}
              <Tabs.Trigger
                value="diff"
                className="-mb-px inline-flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted hover:text-fg data-[state=active]:border-accent data-[state=active]:text-fg"
              >
                Diff
              </Tabs.Trigger>
            </Tabs.List>
            <Tabs.Content value="processes" className="focus-visible:outline-none">
              {processes.isSuccess ? (
                <ProcessesTable rows={processes.data} minMemoryPercent={run.options.minMemoryPercent} />
              ) : processes.isError ? (
                <ErrorCard
                  message={`Could not load the processes: ${processes.error.message}`}
                  onRetry={() => void processes.refetch()}
                />
              ) : processesFirstScreen ? (
                <ProcessesTable
                  rows={processesFirstScreen.rows}
                  firstScreen={processesFirstScreen}
                  minMemoryPercent={run.options.minMemoryPercent}
                />
              ) : (
                <TableCardSkeleton />
              )}
            </Tabs.Content>
            <Tabs.Content value="executables" className="focus-visible:outline-none">
              {executables.isPending ? (
                <TableCardSkeleton />
              ) : executables.isError ? (
                <ErrorCard
                  message={`Could not load the executables: ${executables.error.message}`}
                  onRetry={() => void executables.refetch()}
                />
              ) : (
                <ExecutablesTable rows={executables.data} />
              )}
            </Tabs.Content>
            <Tabs.Content value="diff" className="focus-visible:outline-none">
              <RunDiffView runId={runId} />
            </Tabs.Content>
          </Tabs.Root>
        </TriageProvider>
      )}
    </div>
  );
}
