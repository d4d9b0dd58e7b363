'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Fragment } from 'react';
import { useTRPC } from '../_trpc/client';
import { ErrorCard } from '../_components/error-card';
import { formatRelative } from '../_components/format';
import { UntrustedText } from '../_components/tables/untrusted-text';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { VerdictBadge } from '../_components/verdict-badge';
import { TriageBadge } from '../_components/triage/triage-badge';
import { UNTRIAGED_FILTER, UNTRIAGED_FILTER_LABEL } from '@/domain/triage';

const th = 'px-3 py-2 text-left text-xs font-medium text-muted';
const td = 'px-3 py-2 align-top';
const WINDOWS = [
  { label: 'All time', days: null },
  { label: 'Last 24 hours', days: 1 },
  { label: 'Last 7 days', days: 7 },
  { label: 'Last 30 days', days: 30 },
] as const;

/** The URL holds the view (sort, window, open hash), so a link opens the same table. */
export function PrevalenceView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const sort = params.get('sort') === 'vtScore' ? 'vtScore' : 'hosts';
  const windowDays = Number(params.get('days')) || undefined;
  const open = params.get('hash');
  const untriaged = params.get('triage') === UNTRIAGED_FILTER;
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    router.replace(`${pathname}?${next}`, { scroll: false });
  };
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
          onClick={() => setParam('sort', null)}
        >
          Fewest hosts first
        </Button>
        <Button
          size="sm"
          variant={sort === 'vtScore' ? 'primary' : 'secondary'}
          aria-pressed={sort === 'vtScore'}
          onClick={() => setParam('sort', 'vtScore')}
        >
          VTScore, highest first
        </Button>
        <Button
          size="sm"
          variant={untriaged ? 'primary' : 'secondary'}
          aria-pressed={untriaged}
          onClick={() => setParam('triage', untriaged ? null : UNTRIAGED_FILTER)}
        >
          {UNTRIAGED_FILTER_LABEL}
        </Button>
        <label className="ml-auto flex items-center gap-2 text-sm text-muted">
          Seen
          <select
            className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
            value={windowDays ?? ''}
            onChange={(e) => setParam('days', e.target.value || null)}
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
        <Card className="overflow-x-auto">
          <table className="w-full text-[13px]">
            <thead className="border-b border-border bg-surface-2">
              <tr>
                <th className={`${th} text-right`}>Hosts</th>
                <th className={`${th} text-right`}>Processes</th>
                <th className={th}>Names</th>
                <th className={th}>Paths</th>
                <th className={`${th} text-right`}>VTScore</th>
                <th className={th}>Verdict</th>
                <th className={th}>Triage</th>
                <th className={th}>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <Fragment key={r.sha256}>
                  <tr className="border-b border-border hover:bg-surface-2">
                    <td className={`${td} text-right font-medium tabular-nums`}>{r.hosts}</td>
                    <td className={`${td} text-right tabular-nums`}>{r.processes}</td>
                    <td className={td}>
                      <UntrustedText value={r.names.join(', ')} />
                    </td>
                    <td className={`${td} max-w-[28ch] truncate`}>
                      <UntrustedText value={r.paths.join(', ')} />
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{r.vtScore ?? '—'}</td>
                    <td className={td}>
                      <VerdictBadge vt={r.vt} />
                    </td>
                    <td className={td}>
                      {r.triage ? <TriageBadge triage={r.triage} /> : <span className="text-muted">—</span>}
                    </td>
                    <td className={`${td} font-mono text-xs`}>
                      <button
                        type="button"
                        className="text-accent hover:underline"
                        aria-expanded={open === r.sha256}
                        onClick={() => setParam('hash', open === r.sha256 ? null : r.sha256)}
                      >
                        {r.sha256.slice(0, 16)}…
                      </button>
                    </td>
                  </tr>
                  {open === r.sha256 && (
                    <tr className="border-b border-border bg-surface-2/50">
                      <td colSpan={8} className="px-6 py-3">
                        <HashDetail
                          loading={detail.isPending}
                          error={detail.error?.message ?? null}
                          data={detail.data}
                          sha256={r.sha256}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </Card>
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
  data:
    | {
        hosts: Array<{ hostId: number; hostname: string; processes: number; lastSeenAt: Date; runId: number }>;
        processes: Array<{
          hostname: string;
          runId: number;
          pid: number;
          name: string;
          user: string;
          exe: string | null;
        }>;
      }
    | undefined;
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
