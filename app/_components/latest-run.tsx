'use client';

import { useQuery } from '@tanstack/react-query';
import { History } from 'lucide-react';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { formatDateTime, formatDuration, formatRelative } from './format';
import { RunStatusBadge } from './run-status';
import { Button } from './ui/button';
import { Card, CardBody, CardHeader, CardTitle } from './ui/card';
import { Skeleton } from './ui/skeleton';

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

export function LatestRun() {
  const trpc = useTRPC();
  const latest = useQuery(
    trpc.runs.latest.queryOptions(undefined, {
      refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
    }),
  );
  const run = latest.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Latest run</CardTitle>
        <Button asChild variant="ghost" size="sm">
          <Link href="/runs">
            <History aria-hidden /> Run history
          </Link>
        </Button>
      </CardHeader>
      <CardBody>
        {latest.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : latest.isError ? (
          <p role="alert" className="text-sm text-danger">
            Could not load the latest run: {latest.error.message}
          </p>
        ) : !run ? (
          <p className="text-sm text-muted">
            No runs yet. Press Collect processes to take the first snapshot of this host.
          </p>
        ) : (
          <div className="space-y-3">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Link href={`/runs/${run.id}`} className="font-semibold text-accent hover:underline">
                Run {run.id}
              </Link>
              <RunStatusBadge status={run.status} />
              <span className="text-muted">
                {run.hostname} · {formatDateTime(run.startedAt)} ({formatRelative(run.startedAt)})
              </span>
            </div>
            {run.status === 'failed' && run.error && <p className="text-sm text-danger">{run.error}</p>}
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Stat label="Processes" value={run.status === 'running' ? '…' : run.processCount} />
              <Stat label="Distinct executables" value={run.status === 'running' ? '…' : run.distinctExecutables} />
              <Stat
                label="Files hashed / cached"
                value={run.status === 'running' ? '…' : `${run.hashedFiles} / ${run.cacheHits}`}
              />
              <Stat label="Duration" value={formatDuration(run.durationMs, { precise: true })} />
            </dl>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
