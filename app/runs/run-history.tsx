'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { formatDateTime, formatDuration } from '../_components/format';
import { RunStatusBadge } from '../_components/run-status';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';

const th = 'px-3 py-2 text-left text-xs font-medium text-muted';
const td = 'px-3 py-2';

export function RunHistory() {
  const trpc = useTRPC();
  const runs = useQuery(
    trpc.runs.list.queryOptions(
      { limit: 200 },
      { refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'running') ? 2000 : false) },
    ),
  );
  if (runs.isPending) return <Card><TableSkeleton /></Card>;
  if (runs.isError)
    return (
      <Card className="p-4" role="alert">
        <p className="text-sm text-danger">Could not load the runs: {runs.error.message}</p>
      </Card>
    );
  if (runs.data.length === 0)
    return (
      <Card className="flex flex-col items-start gap-3 p-6">
        <p className="text-sm text-muted">No runs yet. Take the first snapshot from the dashboard.</p>
        <Button asChild variant="primary">
          <Link href="/">Go to the dashboard</Link>
        </Button>
      </Card>
    );
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-[13px]">
        <thead className="border-b border-border bg-surface-2">
          <tr>
            <th className={th}>Run</th>
            <th className={th}>Host</th>
            <th className={th}>Started</th>
            <th className={`${th} text-right`}>Processes</th>
            <th className={`${th} text-right`}>Distinct executables</th>
            <th className={th}>Status</th>
            <th className={th}>Source</th>
            <th className={`${th} text-right`}>Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.data.map((r) => (
            <tr key={r.id} className="border-b border-border last:border-0 hover:bg-surface-2">
              <td className={td}>
                <Link href={`/runs/${r.id}`} className="font-medium text-accent hover:underline">
                  Run {r.id}
                </Link>
              </td>
              <td className={td}>{r.hostname}</td>
              <td className={`${td} tabular-nums`}>{formatDateTime(r.startedAt)}</td>
              <td className={`${td} text-right tabular-nums`}>{r.status === 'completed' ? r.processCount : '—'}</td>
              <td className={`${td} text-right tabular-nums`}>{r.status === 'completed' ? r.distinctExecutables : '—'}</td>
              <td className={td}>
                <span title={r.error ?? undefined}>
                  <RunStatusBadge status={r.status} />
                </span>
              </td>
              <td className={`${td} text-muted`}>{r.source}</td>
              <td className={`${td} text-right tabular-nums`}>{formatDuration(r.durationMs, { precise: true })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
