'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment } from 'react';
import { useTRPC } from '../_trpc/client';
import type { FleetHashUsage } from '../_trpc/types';
import { ErrorCard } from '../_components/error-card';
import { formatRelative } from '../_components/format';
import { UntrustedText } from '../_components/tables/untrusted-text';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../_components/ui/table';
import { setUrlValue, useUrlValue } from '../_components/url/url-state';
import { VerdictBadge } from '../_components/verdict-badge';
import { TriageBadge } from '../_components/triage/triage-badge';
import { UNTRIAGED_FILTER_LABEL } from '@/domain/triage';
import { prevalenceParams as P } from './prevalence-params';

const WINDOWS = [
  { label: 'All time', days: null },
  { label: 'Last 24 hours', days: 1 },
  { label: 'Last 7 days', days: 7 },
  { label: 'Last 30 days', days: 30 },
] as const;

/** The URL holds the view (sort, window, open hash: prevalence-params.ts), so a link opens the same table. */
export function PrevalenceView() {
  const trpc = useTRPC();
  const sort = useUrlValue(P.sort);
  const windowDays = useUrlValue(P.days);
  const open = useUrlValue(P.hash);
  const untriaged = useUrlValue(P.triage);
  const rows = useQuery(
    trpc.fleet.prevalence.queryOptions(
      { sort, windowDays, limit: 2_000, untriaged: untriaged || undefined },
      { refetchOnMount: 'always' },
    ),
  );
  const detail = useQuery(
    trpc.fleet.hash.queryOptions({ sha256: open ?? '' }, { enabled: !!open && /^[0-9a-f]{64}$/.test(open) }),
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant={sort === 'hosts' ? 'primary' : 'secondary'}
          aria-pressed={sort === 'hosts'}
          onClick={() => setUrlValue(P.sort, 'hosts')}
        >
          Fewest hosts first
        </Button>
        <Button
          size="sm"
          variant={sort === 'vtScore' ? 'primary' : 'secondary'}
          aria-pressed={sort === 'vtScore'}
          onClick={() => setUrlValue(P.sort, 'vtScore')}
        >
          VTScore, highest first
        </Button>
        <Button
          size="sm"
          variant={untriaged ? 'primary' : 'secondary'}
          aria-pressed={untriaged}
          onClick={() => setUrlValue(P.triage, !untriaged)}
        >
          {UNTRIAGED_FILTER_LABEL}
        </Button>
        <label className="ml-auto flex items-center gap-2 text-sm text-muted">
          Seen
          <select
            className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
            value={windowDays ?? ''}
            onChange={(e) => setUrlValue(P.days, P.days.parse(e.target.value))}
          >
            {WINDOWS.map((w) => (
              <option key={w.label} value={w.days ?? ''}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {rows.isPending ? (
        <Card>
          <TableSkeleton />
        </Card>
      ) : rows.isError ? (
        <ErrorCard message={`Could not load prevalence: ${rows.error.message}`} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Card className="p-6 text-sm text-muted">
          {untriaged
            ? 'Nothing left to triage: every executable with a VTScore of 1 or more has a decision.'
            : 'No executables yet. Hosts appear here once a run or an agent snapshot has been stored.'}
        </Card>
      ) : (
        <Table>
          <TableHeader>
            <TableHead align="end">Hosts</TableHead>
            <TableHead align="end">Processes</TableHead>
            <TableHead>Names</TableHead>
            <TableHead>Paths</TableHead>
            <TableHead align="end">VTScore</TableHead>
            <TableHead>Verdict</TableHead>
            <TableHead>Triage</TableHead>
            <TableHead>SHA-256</TableHead>
          </TableHeader>
          <TableBody className="align-top">
            {rows.data.map((r) => (
              <Fragment key={r.sha256}>
                <TableRow>
                  <TableCell align="end" className="font-medium tabular-nums">
                    {r.hosts}
                  </TableCell>
                  <TableCell align="end" className="tabular-nums">
                    {r.processes}
                  </TableCell>
                  <TableCell>
                    <UntrustedText value={r.names.join(', ')} />
                  </TableCell>
                  <TableCell className="max-w-[28ch] truncate">
                    <UntrustedText value={r.paths.join(', ')} />
                  </TableCell>
                  <TableCell align="end" className="tabular-nums">
                    {r.vtScore ?? '—'}
                  </TableCell>
                  <TableCell>
                    <VerdictBadge vt={r.vt} />
                  </TableCell>
                  <TableCell>
                    {r.triage ? <TriageBadge triage={r.triage} /> : <span className="text-muted">—</span>}
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    <button
                      type="button"
                      className="text-accent hover:underline"
                      aria-expanded={open === r.sha256}
                      onClick={() => setUrlValue(P.hash, open === r.sha256 ? null : r.sha256)}
                    >
                      {r.sha256.slice(0, 16)}…
                    </button>
                  </TableCell>
                </TableRow>
                {open === r.sha256 && (
                  <TableRow hover={false} className="bg-surface-2/50">
                    <TableCell colSpan={8} className="px-6 py-3">
                      <HashDetail
                        loading={detail.isPending}
                        error={detail.error?.message ?? null}
                        data={detail.data}
                        sha256={r.sha256}
                      />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function HashDetail({
  sha256,
  loading,
  error,
  data,
}: {
  sha256: string;
  loading: boolean;
  error: string | null;
  data: FleetHashUsage | undefined;
}) {
  if (loading) return <p className="text-sm text-muted">Loading hosts…</p>;
  if (error)
    return (
      <p className="text-sm text-danger" role="alert">
        {error}
      </p>
    );
  if (!data) return null;
  return (
    <div className="space-y-2" aria-label={`Hosts running ${sha256}`}>
      <p className="font-mono text-xs break-all">{sha256}</p>
      <ul className="space-y-1 text-sm">
        {data.hosts.map((h) => (
          <li key={h.hostId}>
            <Link href={`/runs/${h.runId}`} className="font-medium text-accent hover:underline">
              {h.hostname}
            </Link>{' '}
            <span className="text-muted">
              — {h.processes} process{h.processes === 1 ? '' : 'es'}, seen {formatRelative(h.lastSeenAt)}
            </span>
            <ul className="ml-4 text-xs text-muted">
              {data.processes
                .filter((p) => p.hostname === h.hostname && p.runId === h.runId)
                .map((p) => (
                  <li key={`${p.runId}-${p.pid}`}>
                    PID {p.pid} <UntrustedText value={p.name} /> ({p.user}) <UntrustedText value={p.exe ?? ''} />
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
