'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { ErrorCard } from '../_components/error-card';
import { notQueuedText } from '../_components/check-plan-text';
import { formatCount, formatDateTime, formatRelative } from '../_components/format';
import { Badge } from '../_components/ui/badge';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../_components/ui/table';
import { runsOfHostHref } from '../runs/runs-params';

export function HostsTable() {
  const trpc = useTRPC();
  const hosts = useQuery(
    trpc.fleet.hosts.queryOptions(undefined, { refetchInterval: 30_000, refetchOnMount: 'always' }),
  );
  if (hosts.isPending)
    return (
      <Card>
        <TableSkeleton />
      </Card>
    );
  if (hosts.isError)
    return (
      <ErrorCard message={`Could not load the hosts: ${hosts.error.message}`} onRetry={() => void hosts.refetch()} />
    );
  if (hosts.data.length === 0)
    return (
      <Card className="p-6 text-sm text-muted">
        No hosts yet. Collect a run from the dashboard, or create an agent token on the{' '}
        <Link href="/tokens" className="text-accent hover:underline">
          Tokens
        </Link>{' '}
        page and run <code>npx proclens agent --server URL --token TOKEN</code> on each host.
      </Card>
    );
  return (
    <Table>
      <TableHeader>
        <TableHead>Host</TableHead>
        <TableHead>Last seen</TableHead>
        <TableHead>Agent</TableHead>
        <TableHead align="end">Processes</TableHead>
        <TableHead align="end">Malicious</TableHead>
        <TableHead align="end">Needs research</TableHead>
        <TableHead>Runs</TableHead>
      </TableHeader>
      <TableBody>
        {hosts.data.map((h) => (
          <TableRow key={h.id}>
            <TableCell className="font-medium">
              {h.lastRunId ? (
                <Link href={`/runs/${h.lastRunId}`} className="text-accent hover:underline">
                  {h.hostname}
                </Link>
              ) : (
                h.hostname
              )}
              <span className="ml-2 text-xs text-muted">{h.platform}</span>
              {h.vtShare.heldLastRun > 0 && (
                // Where the cap bites: the newest run's hashes left out of the VirusTotal queue.
                <div className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-muted">
                  <Badge tone="warn">{notQueuedText(h.vtShare.heldLastRun)}</Badge>
                  <span className="tabular-nums">
                    {formatCount(h.vtShare.queuedToday)} of {formatCount(h.vtShare.perDay)} new hashes a day queued
                    today (INGEST_VT_NEW_PER_HOST_DAY)
                  </span>
                </div>
              )}
            </TableCell>
            <TableCell className="tabular-nums" title={formatDateTime(h.lastSeenAt)}>
              {formatRelative(h.lastSeenAt)}
            </TableCell>
            <TableCell className="text-muted">{h.agentVersion ?? 'local'}</TableCell>
            <TableCell align="end" className="tabular-nums">
              {h.processes}
            </TableCell>
            <TableCell align="end">
              {h.malicious > 0 ? <Badge tone="danger">{h.malicious}</Badge> : <span className="text-muted">0</span>}
            </TableCell>
            <TableCell align="end">
              {h.needsResearch > 0 ? (
                <Badge tone="warn">{h.needsResearch}</Badge>
              ) : (
                <span className="text-muted">0</span>
              )}
            </TableCell>
            <TableCell>
              <Link href={runsOfHostHref(h.hostname)} className="text-accent hover:underline">
                History
              </Link>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
