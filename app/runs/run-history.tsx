'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { ErrorCard } from '../_components/error-card';
import { formatDateTime, formatDuration } from '../_components/format';
import { RunStatusBadge } from '../_components/run-status';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../_components/ui/table';
import { setUrlValue, useUrlValue } from '../_components/url/url-state';
import { runsParams } from './runs-params';

/** `?host=NAME` keeps the filter in the URL (the Hosts page links here). */
function HostFilter({ host }: { host: string | null }) {
  const trpc = useTRPC();
  const hosts = useQuery(trpc.fleet.hosts.queryOptions());
  const names = [...new Set((hosts.data ?? []).map((h) => h.hostname))].sort();
  if (names.length < 2 && !host) return null;
  return (
    <label className="flex items-center gap-2 text-sm text-muted">
      Host
      <select
        className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
        value={host ?? ''}
        onChange={(e) => setUrlValue(runsParams.host, e.target.value || null)}
      >
        <option value="">All hosts</option>
        {(host && !names.includes(host) ? [host, ...names] : names).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RunHistory() {
  const host = useUrlValue(runsParams.host);
  return (
    <div className="space-y-3">
      <HostFilter host={host} />
      <RunTable host={host} />
    </div>
  );
}

function RunTable({ host }: { host: string | null }) {
  const trpc = useTRPC();
  const runs = useQuery(
    trpc.runs.list.queryOptions(
      { limit: 200, host: host ?? undefined },
      { refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'running') ? 2000 : false) },
    ),
  );
  if (runs.isPending)
    return (
      <Card>
        <TableSkeleton />
      </Card>
    );
  if (runs.isError)
    return <ErrorCard message={`Could not load the runs: ${runs.error.message}`} onRetry={() => void runs.refetch()} />;
  if (runs.data.length === 0)
    return (
      <Card className="flex flex-col items-start gap-3 p-6">
        <p className="text-sm text-muted">
          {host ? `No runs for host ${host}.` : 'No runs yet. Take the first snapshot from the dashboard.'}
        </p>
        <Button asChild variant="primary">
          <Link href="/">Go to the dashboard</Link>
        </Button>
      </Card>
    );
  return (
    <Table>
      <TableHeader>
        <TableHead>Run</TableHead>
        <TableHead>Host</TableHead>
        <TableHead>Started</TableHead>
        <TableHead align="end">Processes</TableHead>
        <TableHead align="end">Distinct executables</TableHead>
        <TableHead>Status</TableHead>
        <TableHead>Source</TableHead>
        <TableHead align="end">Duration</TableHead>
      </TableHeader>
      <TableBody>
        {runs.data.map((r) => (
          <TableRow key={r.id}>
            <TableCell>
              <Link href={`/runs/${r.id}`} className="font-medium text-accent hover:underline">
                Run {r.id}
              </Link>
            </TableCell>
            <TableCell>{r.hostname}</TableCell>
            <TableCell className="tabular-nums">{formatDateTime(r.startedAt)}</TableCell>
            <TableCell align="end" className="tabular-nums">
              {r.status === 'completed' ? r.processCount : '—'}
            </TableCell>
            <TableCell align="end" className="tabular-nums">
              {r.status === 'completed' ? r.distinctExecutables : '—'}
            </TableCell>
            <TableCell>
              <span title={r.error ?? undefined}>
                <RunStatusBadge status={r.status} />
              </span>
            </TableCell>
            <TableCell className="text-muted">{r.source}</TableCell>
            <TableCell align="end" className="tabular-nums">
              {formatDuration(r.durationMs, { precise: true })}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
