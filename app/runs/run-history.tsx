'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../_trpc/client';
import { ErrorCard } from '../_components/error-card';
import { formatDateTime, formatDuration } from '../_components/format';
import { RunStatusBadge } from '../_components/run-status';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';

const th = 'px-3 py-2 text-left text-xs font-medium text-muted';
const td = 'px-3 py-2';

/** `?host=NAME` keeps the filter in the URL (the Hosts page links here). */
function HostFilter({ host }: { host: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const hosts = useQuery(trpc.fleet.hosts.queryOptions());
  const names = [...new Set((hosts.data ?? []).map((h) => h.hostname))].sort();
  if (names.length < 2 && !host) return null;
  return (
    <label className="flex items-center gap-2 text-sm text-muted">
      Host
      <select
        className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
        value={host ?? ''}
        onChange={(e) =>
          router.replace(e.target.value ? `${pathname}?host=${encodeURIComponent(e.target.value)}` : pathname)
        }
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
  const host = useSearchParams().get('host');
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
              <td className={`${td} text-right tabular-nums`}>
                {r.status === 'completed' ? r.distinctExecutables : '—'}
              </td>
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
