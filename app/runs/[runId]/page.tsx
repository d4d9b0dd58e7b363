import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { parseRunId } from '@/domain/runs';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunId((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

export default async function RunPage({ params }: Props) {
  const runId = parseRunId((await params).runId);
  if (runId === null) notFound();
  return <RunView runId={runId} />;
}
