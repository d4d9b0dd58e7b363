import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { parseRunIdParam } from './run-id';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunIdParam((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

export default async function RunPage({ params, searchParams }: Props) {
  const runId = parseRunIdParam((await params).runId);
  if (runId === null) notFound();
  // The run is fetched here; its rows and VirusTotal status start loading here too and stream to
  // the browser's query cache as they resolve (no waterfall of run → rows after the JavaScript
  // loads, and the page shell is not held up by 10,000 rows). A failure is left to the client: it
  // retries and shows the error or "not found" as before.
  const queryClient = getQueryClient();
  const run = await queryClient.fetchQuery(trpc.runs.byId.queryOptions({ runId })).catch(() => null);
  if (run?.status === 'completed') {
    if ((await searchParams).view === 'executables') void queryClient.prefetchQuery(trpc.runs.executables.queryOptions({ runId }));
    else void queryClient.prefetchQuery(trpc.runs.processes.queryOptions({ runId }));
    void queryClient.prefetchQuery(trpc.vt.status.queryOptions({ runId }));
  }
  return (
    <HydrateClient>
      <RunView runId={runId} />
    </HydrateClient>
  );
}
