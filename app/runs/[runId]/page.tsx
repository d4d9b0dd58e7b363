import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { UrlStateProvider } from '@/app/_components/tables/url-state';
import { parseRunId } from '@/domain/run-id';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunId((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

/**
 * The run must be known to exist before anything streams: this route has no loading.tsx (a Suspense
 * boundary) on purpose, because a notFound() after the shell has streamed answers HTTP 200.
 * Its rows and VirusTotal status start loading here too and stream to the browser's query cache as
 * they resolve (no waterfall of run → rows after the JavaScript loads; the shell is not held up by
 * 10,000 rows). Any failure but "not found" is left to the client: it retries and shows the error.
 */
export default async function RunPage({ params, searchParams }: Props) {
  const runId = parseRunId((await params).runId);
  if (runId === null) notFound();
  const search = toSearchString(await searchParams);
  const queryClient = getQueryClient();
  const run = await queryClient.fetchQuery(trpc.runs.byId.queryOptions({ runId })).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === 'NOT_FOUND') notFound();
    // Hosted mode without a session: sign in first, then come back here.
    if (e instanceof TRPCError && e.code === 'UNAUTHORIZED')
      redirect(`/sign-in?next=${encodeURIComponent(`/runs/${runId}`)}`);
    return null;
  });
  if (run?.status === 'completed') {
    if (new URLSearchParams(search).get('view') === 'executables')
      void queryClient.prefetchQuery(trpc.runs.executables.queryOptions({ runId }));
    else void queryClient.prefetchQuery(trpc.runs.processes.queryOptions({ runId }));
    void queryClient.prefetchQuery(trpc.vt.status.queryOptions({ runId }));
  }
  return (
    <HydrateClient>
      <UrlStateProvider search={search}>
        <RunView runId={runId} />
      </UrlStateProvider>
    </HydrateClient>
  );
}

/** The request's search params as one string: the URL state the client hydrates with. */
function toSearchString(params: Record<string, string | string[] | undefined>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const v of value) out.append(key, v);
    else if (value !== undefined) out.append(key, value);
  }
  return out.toString();
}
