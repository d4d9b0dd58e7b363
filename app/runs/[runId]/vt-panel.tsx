'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleSlash, KeyRound, LoaderCircle, RefreshCw, RotateCcw, ScanSearch, X } from 'lucide-react';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { QuotaInline, QuotaPausedNotice } from '@/app/_components/quota-widget';
import { formatDateTime } from '@/app/_components/format';
import { Badge } from '@/app/_components/ui/badge';
import { ErrorCard } from '@/app/_components/error-card';
import { Button } from '@/app/_components/ui/button';
import { Card, CardBody, CardHeader, CardTitle } from '@/app/_components/ui/card';
import { Skeleton } from '@/app/_components/ui/skeleton';
import { formatCount } from '@/app/_components/format';
import { notQueuedText, shareExplanation } from '@/app/_components/check-plan-text';
import { checkSummaryText } from '@/app/_components/vt-format';
import { useTRPC } from '@/app/_trpc/client';
import type { VtCheckStatus } from '@/app/_trpc/types';
import { CheckPlanNote } from './check-plan';
import { VtProgress } from './vt-progress';

/** Shown only while lookups wait: its code loads then, not with every run page. */
const LookupOrder = dynamic(() => import('./lookup-order').then((m) => m.LookupOrder));

/** A check under way is polled every second; otherwise now and then, in case the CLI starts one. */
const ACTIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 10_000;

export function isCheckActive(status: VtCheckStatus | undefined): boolean {
  return status?.check?.status === 'active';
}

export function useVtStatus(runId: number, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery(
    trpc.vt.status.queryOptions(
      { runId },
      {
        enabled,
        staleTime: 0,
        refetchInterval: (q) => (isCheckActive(q.state.data) ? ACTIVE_POLL_MS : IDLE_POLL_MS),
      },
    ),
  );
}

/** Start, cancel and retry; each refreshes the status, the quota and the run's tables. */
function useVtActions(runId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.vt.status.queryKey({ runId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.vt.quota.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.runs.processes.queryKey({ runId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.runs.executables.queryKey({ runId }) }),
    ]);
  const check = useMutation(trpc.vt.check.mutationOptions({ onSettled: refresh }));
  const cancel = useMutation(trpc.vt.cancel.mutationOptions({ onSettled: refresh }));
  const retry = useMutation(trpc.vt.retryFailed.mutationOptions({ onSettled: refresh }));
  const error = check.error ?? cancel.error ?? retry.error;
  const pending = check.isPending || cancel.isPending || retry.isPending;
  return { check, cancel, retry, error, pending };
}

/** The public wording when no key is set (e2e tests read it). */
function NoKeyMessage() {
  return (
    <p className="flex items-center gap-2 rounded-md border border-border bg-surface-2 px-3 py-2 text-sm">
      <KeyRound className="size-4 shrink-0 text-muted" aria-hidden />
      <span>
        Add a VirusTotal API key on the{' '}
        <Link href="/settings" className="font-medium text-accent underline-offset-2 hover:underline">
          Settings
        </Link>{' '}
        page to check hashes.
      </span>
    </p>
  );
}

function StateBadge({ status }: { status: VtCheckStatus }) {
  const s = status.check?.status;
  if (s === 'active')
    return (
      <Badge tone="info">
        <LoaderCircle className="animate-spin" aria-hidden /> Checking
      </Badge>
    );
  if (s === 'completed')
    return (
      <Badge tone="ok">
        <CircleCheck aria-hidden /> Checked
      </Badge>
    );
  if (s === 'cancelled')
    return (
      <Badge tone="neutral">
        <CircleSlash aria-hidden /> Cancelled
      </Badge>
    );
  return null;
}

function Summary({ status }: { status: VtCheckStatus }) {
  const check = status.check;
  if (!check)
    return (
      <p className="text-sm text-muted">
        {status.total === 0
          ? 'This run has no hashed executables to look up.'
          : `Look up the ${formatCount(status.total)} distinct ${status.total === 1 ? 'hash' : 'hashes'} of this run. Answers already in the cache cost no request.`}
      </p>
    );
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium tabular-nums">
        {check.status === 'cancelled' && 'Check cancelled · '}
        {checkSummaryText({ ...status, check })}
        {status.failed > 0 && ` · ${formatCount(status.failed)} failed`}
      </p>
      <p className="text-xs text-muted">
        Requested {formatDateTime(check.requestedAt)}
        {check.finishedAt && ` · finished ${formatDateTime(check.finishedAt)}`}
      </p>
    </div>
  );
}

function PanelBody({ runId, status }: { runId: number; status: VtCheckStatus }) {
  const actions = useVtActions(runId);
  const active = isCheckActive(status);
  const noKey = !status.keyConfigured;
  const disabled = noKey || actions.pending;
  return (
    <div className="min-w-0 flex-1 space-y-3">
      {status.quota.paused && (active || status.pending > 0) && (
        <QuotaPausedNotice paused={status.quota.paused} settingsLink={!noKey} className="text-sm" />
      )}
      {noKey && <NoKeyMessage />}
      {active ? <VtProgress status={status} /> : <Summary status={status} />}
      {!active && !noKey && status.total > 0 && <CheckPlanNote runId={runId} recheck={status.check !== null} />}
      {status.pending > 0 && status.check !== null && <LookupOrder runId={runId} live={active} />}
      {status.held > 0 && (
        <p className="text-xs">
          <span className="font-medium text-warn">{notQueuedText(status.held)}.</span>{' '}
          <span className="text-muted">{shareExplanation(status.sharePerDay)}</span>
        </p>
      )}
      {status.skipped > 0 && (
        <p className="text-xs text-muted">
          {formatCount(status.skipped)} {status.skipped === 1 ? 'executable was' : 'executables were'} skipped: the file
          matches its package&apos;s checksum and has no badge (Settings: Skip package-verified executables).
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {active ? (
          <Button size="sm" onClick={() => actions.cancel.mutate({ runId })} disabled={actions.pending}>
            <X aria-hidden />
            Cancel
          </Button>
        ) : (
          <>
            <Button
              size="sm"
              variant={status.check ? 'secondary' : 'primary'}
              onClick={() => actions.check.mutate({ runId })}
              disabled={disabled || status.total === 0}
              title={status.check ? 'Look up the hashes without a fresh answer in the cache' : undefined}
            >
              <ScanSearch aria-hidden />
              Check on VirusTotal
            </Button>
            {status.check && (
              <Button
                size="sm"
                onClick={() => actions.check.mutate({ runId, force: true })}
                disabled={disabled || status.total === 0}
                title="Ask VirusTotal again for every hash of this run, cached or not"
              >
                <RefreshCw aria-hidden />
                Re-check
              </Button>
            )}
            {status.failed > 0 && (
              <Button size="sm" onClick={() => actions.retry.mutate({ runId })} disabled={disabled}>
                <RotateCcw aria-hidden />
                Retry failed
              </Button>
            )}
          </>
        )}
      </div>
      {actions.error && (
        <p role="alert" className="text-sm text-danger">
          {actions.error.message}
        </p>
      )}
    </div>
  );
}

/** The run page's VirusTotal panel (completed runs only): check, watch, cancel, re-check, quota. */
export function VtPanel({ runId, status }: { runId: number; status: ReturnType<typeof useVtStatus> }) {
  return (
    <Card>
      <CardHeader>
        <div className="flex items-center gap-2">
          <CardTitle>VirusTotal</CardTitle>
          {status.data && <StateBadge status={status.data} />}
        </div>
      </CardHeader>
      <CardBody className="flex flex-col gap-4 lg:flex-row lg:items-start">
        {status.isPending ? (
          <div role="status" aria-label="Loading VirusTotal status" className="flex-1 space-y-2">
            <Skeleton className="h-4 w-64" />
            <Skeleton className="h-7 w-40" />
          </div>
        ) : status.isError ? (
          <ErrorCard
            inline
            className="flex-1"
            message={`Could not load the VirusTotal status: ${status.error.message}`}
            onRetry={() => void status.refetch()}
          />
        ) : (
          <PanelBody runId={runId} status={status.data} />
        )}
        <QuotaInline
          live={isCheckActive(status.data)}
          className="lg:w-72 lg:shrink-0 lg:border-l lg:border-border lg:pl-4"
        />
      </CardBody>
    </Card>
  );
}
