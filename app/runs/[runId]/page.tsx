import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { parseRunIdParam } from './run-id';
import { RunView } from './run-view';

interface Props {
  params: Promise<{ runId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const runId = parseRunIdParam((await params).runId);
  return { title: runId === null ? 'Run not found' : `Run ${runId}` };
}

export default async function RunPage({ params }: Props) {
  const runId = parseRunIdParam((await params).runId);
  if (runId === null) notFound();
  return <RunView runId={runId} />;
}
