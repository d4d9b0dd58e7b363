import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { getQueryClient, HydrateClient, serverCaller, trpc } from '@/app/_trpc/server';
import {
  defaultFirstScreen,
  FIRST_SCREEN_ROWS,
  isDefaultProcessesView,
  processesFirstScreen,
  type ProcessesFirstScreen,
} from '@/app/_components/tables/processes/first-screen';
import { readParam, toSearchString, type SearchParamsRecord } from '@/app/_components/url/url-params';
import { UrlStateProvider } from '@/app/_components/url/url-state';
import { signInHref } from '@/app/sign-in/sign-in-params';
import { decodeRowTable, encodeRowTable } from '@/domain/row-table';
import { parseRunId } from '@/domain/run-id';
import { runParams } from './run-params';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
  searchParams: Promise<SearchParamsRecord>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunId((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

/**
 * The run must be known to exist before anything streams: this route has no loading.tsx (a Suspense
 * boundary) on purpose, because a notFound() after the shell has streamed answers HTTP 200.
 * The process table's first screen is rendered here too (see processesForFirstPaint); the
 * executables and the VirusTotal status start loading here and stream to the browser's query cache
 * as they resolve. Any failure but "not found" is left to the client: it retries and shows the error.
 */
export default async function RunPage({ params, searchParams }: Props) {
  const runId = parseRunId((await params).runId);
  if (runId === null) notFound();
  const search = toSearchString(await searchParams);
  const queryClient = getQueryClient();
  const run = await queryClient.fetchQuery(trpc.runs.byId.queryOptions({ runId })).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === 'NOT_FOUND') notFound();
    // Hosted mode without a session: sign in first, then come back here.
    if (e instanceof TRPCError && e.code === 'UNAUTHORIZED') redirect(signInHref(`/runs/${runId}`));
    return null;
  });
  let firstScreen: ProcessesFirstScreen | null = null;
  if (run?.status === 'completed') {
    if (readParam(runParams.view, search) === 'executables')
      void queryClient.prefetchQuery(trpc.runs.executables.queryOptions({ runId }));
    else firstScreen = await processesForFirstPaint(runId, search);
    void queryClient.prefetchQuery(trpc.vt.status.queryOptions({ runId }));
  }
  return (
    <HydrateClient>
      <UrlStateProvider search={search}>
        <RunView runId={runId} processesFirstScreen={firstScreen} />
      </UrlStateProvider>
    </HydrateClient>
  );
}

/**
 * The process table's rows arrive in the HTML, rendered: a small run's rows all go to the browser's
 * query cache; a large run sends only its first screen, in the URL's order and filter, and the
 * browser fetches the whole run after hydration (10,000 rows in the HTML made its first paint 4×
 * slower than a 20-row run's). A failure is left to the client, which fetches, retries and shows it.
 */
async function processesForFirstPaint(runId: number, search: string): Promise<ProcessesFirstScreen | null> {
  const params = new URLSearchParams(search);
  if (isDefaultProcessesView(params)) {
    const head = await serverCaller.runs.processesHead({ runId, limit: FIRST_SCREEN_ROWS }).catch(() => null);
    if (head === null) return null;
    if (head.total > FIRST_SCREEN_ROWS) return defaultFirstScreen(head, params);
    // The whole run fits on one screen: those rows are all of it, in the table's data order.
    getQueryClient().setQueryData(trpc.runs.processes.queryKey({ runId }), encodeRowTable(head.rows));
    return null;
  }
  // A shared link with a sort, filter or badge: the server orders and filters the whole run.
  const table = await serverCaller.runs.processes({ runId }).catch(() => null);
  if (table === null) return null;
  if (table.n <= FIRST_SCREEN_ROWS) {
    getQueryClient().setQueryData(trpc.runs.processes.queryKey({ runId }), table);
    return null;
  }
  return processesFirstScreen(decodeRowTable(table), params);
}
