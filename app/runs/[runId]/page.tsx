import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { parseRunId } from '@/domain/runs';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunId((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

/**
 * The run must be known to exist before anything streams: this route has no loading.tsx (a Suspense
 * boundary) on purpose, because a notFound() after the shell has streamed answers HTTP 200.
 */
export default async function RunPage({ params }: Props) {
  const runId = parseRunId((await params).runId);
  if (runId === null) notFound();
  const caller = createCaller(createContext({ headers: await headers() }));
  try {
    await caller.runs.byId({ runId });
  } catch (e) {
    if (e instanceof TRPCError && e.code === 'NOT_FOUND') notFound();
    // Hosted mode without a session: sign in first, then come back here.
    if (e instanceof TRPCError && e.code === 'UNAUTHORIZED') redirect(`/sign-in?next=${encodeURIComponent(`/runs/${runId}`)}`);
    throw e;
  }
  return <RunView runId={runId} />;
}
