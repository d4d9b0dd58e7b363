'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, CircleCheck, GitCompareArrows, Inbox, Pin, PinOff } from 'lucide-react';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { DIFF_AGAINST_PROBLEM, DIFF_KIND_LABELS, parseDiffAgainst, type DiffKind } from '@/domain/run-diff';
import { parseRunId } from '@/domain/run-id';
import { DownloadButton } from '@/app/_components/download-button';
import { ErrorCard } from '@/app/_components/error-card';
import { formatDateTime } from '@/app/_components/format';
import { DataTable } from '@/app/_components/tables/data-table';
import { diffColumns, diffDefaultSort, diffFilterFn, diffRowId } from '@/app/_components/tables/diff/columns';
import { UntrustedText } from '@/app/_components/tables/untrusted-text';
import { setUrlValue, useUrlParam, useUrlValue } from '@/app/_components/url/url-state';
import { Button } from '@/app/_components/ui/button';
import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import { cn } from '@/app/_components/ui/cn';
import { useTRPC } from '@/app/_trpc/client';
import type { RunDiff } from '@/app/_trpc/types';
import { runParams } from './run-params';
import { TableCardSkeleton } from './run-skeleton';

const isClientError = (e: unknown) => {
  const code = (e as { data?: { code?: string } | null })?.data?.code;
  return code === 'NOT_FOUND' || code === 'BAD_REQUEST' || code === 'CONFLICT';
};

function usePinning(runId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.diff.pathKey() });
  };
  const me = useQuery(trpc.system.me.queryOptions());
  const canPin =
    me.data !== undefined && (me.data.mode === 'local' || ['analyst', 'admin'].includes(me.data.user?.role ?? ''));
  const pin = useMutation(trpc.diff.pinBaseline.mutationOptions({ onSettled: refresh }));
  const unpin = useMutation(trpc.diff.unpinBaseline.mutationOptions({ onSettled: refresh }));
  return {
    canPin,
    pin: () => pin.mutate({ runId }),
    unpin: () => unpin.mutate({ runId }),
    pending: pin.isPending || unpin.isPending,
    error: pin.error ?? unpin.error,
  };
}

/** The run's Diff view; its URL params are runParams' `against`, `dkind` and the diff table's. */
export function RunDiffView({ runId }: { runId: number }) {
  const trpc = useTRPC();
  const rawAgainst = useUrlParam(runParams.against.key);
  const against = useUrlValue(runParams.against);
  const diff = useQuery(
    trpc.diff.compare.queryOptions(
      { runId, against: against ?? 'previous' },
      { enabled: against !== null, retry: (n, e) => !isClientError(e) && n < 1 },
    ),
  );
  const candidates = useQuery(trpc.diff.candidates.queryOptions({ runId }));
  const pinning = usePinning(runId);
  const baseline = diff.data?.baseline ?? null;

  return (
    <div className="space-y-3">
      <Card>
        <CardHeader className="flex-wrap gap-y-2">
          <ComparePicker
            runId={runId}
            value={rawAgainst ?? 'previous'}
            baselineRunId={baseline?.runId ?? null}
            candidates={candidates.data ?? []}
          />
          <div className="flex flex-wrap items-center gap-2">
            {pinning.canPin &&
              diff.data &&
              (baseline?.runId === runId ? (
                <Button size="sm" onClick={pinning.unpin} disabled={pinning.pending}>
                  <PinOff aria-hidden />
                  Unpin baseline
                </Button>
              ) : (
                <Button
                  size="sm"
                  onClick={pinning.pin}
                  disabled={pinning.pending}
                  title="Compare this host's runs with this one when you choose 'Pinned baseline'"
                >
                  <Pin aria-hidden />
                  Pin as baseline
                </Button>
              ))}
            {against !== null && (
              <>
                <DownloadButton href={`/api/runs/${runId}/diff.csv?against=${encodeURIComponent(String(against))}`}>
                  Diff (.csv)
                </DownloadButton>
                <DownloadButton href={`/api/runs/${runId}/diff.txt?against=${encodeURIComponent(String(against))}`}>
                  Diff summary (.txt)
                </DownloadButton>
              </>
            )}
          </div>
        </CardHeader>
        <CardBody className="space-y-2 text-sm">
          {pinning.error && (
            <p role="alert" className="text-danger">
              {pinning.error.message}
            </p>
          )}
          {diff.data && <DiffSummary diff={diff.data} />}
        </CardBody>
      </Card>
      {against === null ? (
        <ErrorCard
          message={`The address asks to compare with “${rawAgainst}”: ${DIFF_AGAINST_PROBLEM}`}
          onRetry={() => setUrlValue(runParams.against, null)}
        />
      ) : diff.isPending ? (
        <TableCardSkeleton />
      ) : diff.isError ? (
        <ErrorCard message={`Could not compare: ${diff.error.message}`} onRetry={() => void diff.refetch()} />
      ) : (
        <DiffBody diff={diff.data} />
      )}
    </div>
  );
}

function ComparePicker(props: {
  runId: number;
  value: string;
  baselineRunId: number | null;
  candidates: ReadonlyArray<{ id: number; status: string; startedAt: Date; processCount: number }>;
}) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const listed = props.candidates.some((c) => String(c.id) === props.value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = parseRunId(typed.trim());
    if (id === null) return setProblem('Type a run id: a positive whole number.');
    if (id === props.runId) return setProblem('That is this run; choose another one.');
    setProblem(null);
    setTyped('');
    setUrlValue(runParams.against, id);
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <GitCompareArrows className="size-4 text-muted" aria-hidden />
      <label htmlFor="diff-against" className="text-sm font-medium">
        Compare with
      </label>
      <select
        id="diff-against"
        value={props.value}
        onChange={(e) => setUrlValue(runParams.against, parseDiffAgainst(e.target.value))}
        className="h-8 max-w-[22rem] rounded-md border border-border bg-surface px-2 text-sm"
      >
        <option value="previous">Previous run of this host</option>
        <option value="baseline">
          {props.baselineRunId ? `Pinned baseline (run ${props.baselineRunId})` : 'Pinned baseline (none pinned)'}
        </option>
        <optgroup label="This host's runs">
          {props.candidates.map((c) => (
            <option key={c.id} value={String(c.id)} disabled={c.id === props.runId || c.status !== 'completed'}>
              {`Run ${c.id} — ${formatDateTime(c.startedAt)} — ${c.status === 'completed' ? `${c.processCount} processes` : c.status}${c.id === props.runId ? ' (this run)' : ''}${c.id === props.baselineRunId ? ' (baseline)' : ''}`}
            </option>
          ))}
        </optgroup>
        {!listed && /^\d+$/.test(props.value) && (
          <option value={props.value}>{`Run ${props.value} (chosen by id)`}</option>
        )}
      </select>
      <form onSubmit={submit} className="flex items-center gap-1">
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          inputMode="numeric"
          aria-label="Any run id"
          placeholder="any run id"
          aria-invalid={problem ? true : undefined}
          className="h-8 w-28 rounded-md border border-border bg-surface px-2 text-sm"
        />
        <Button size="sm" type="submit">
          Compare
        </Button>
      </form>
      {problem && (
        <p role="alert" className="w-full text-xs text-danger">
          {problem}
        </p>
      )}
    </div>
  );
}

const AGAINST_TEXT = { previous: 'the previous completed run of this host', baseline: "this host's pinned baseline" };

function DiffSummary({ diff }: { diff: RunDiff }) {
  const o = diff.other;
  if (!o || diff.empty) return null;
  return (
    <>
      <p className="text-muted">
        Run {diff.run.id} compared with{' '}
        <a href={`/runs/${o.id}`} className="font-medium text-accent hover:underline">
          run {o.id}
        </a>{' '}
        on <UntrustedText value={o.hostname} />, started{' '}
        <time dateTime={o.startedAt.toISOString()}>{formatDateTime(o.startedAt)}</time>
        {typeof diff.against === 'string' ? ` (${AGAINST_TEXT[diff.against]})` : ' (chosen by id)'}.
        {diff.baseline && (
          <>
            {' '}
            Baseline: run {diff.baseline.runId}, pinned {formatDateTime(diff.baseline.pinnedAt)}
            {diff.baseline.pinnedBy ? (
              <>
                {' '}
                by <UntrustedText value={diff.baseline.pinnedBy} />
              </>
            ) : null}
            .
          </>
        )}
      </p>
      {!diff.sameHost && (
        <div
          role="alert"
          className="flex items-start gap-2 rounded-md border border-warn/30 bg-warn-bg px-3 py-2 text-warn"
        >
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            Run {o.id} is from another host (<UntrustedText value={o.hostname} />
            ). Paths are compared across hosts as chosen: whatever one host runs and the other does not shows as new or
            gone.
          </span>
        </div>
      )}
    </>
  );
}

function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children: ReactNode }) {
  return (
    <Card className="flex flex-col items-center gap-2 p-10 text-center">
      {icon ?? <Inbox className="size-6 text-muted" aria-hidden />}
      <p className="text-sm font-medium">{title}</p>
      <p className="max-w-lg text-sm text-muted">{children}</p>
    </Card>
  );
}

function DiffBody({ diff }: { diff: RunDiff }) {
  const kind = useUrlValue(runParams.diffKind);
  const rows = useMemo(() => (kind ? diff.entries.filter((e) => e.kind === kind) : diff.entries), [diff.entries, kind]);

  if (diff.empty === 'no-previous')
    return (
      <EmptyState title="No earlier run of this host">
        This is the first completed run of <UntrustedText value={diff.run.hostname} />. Collect again later to see what
        changed, or choose a run above.
      </EmptyState>
    );
  if (diff.empty === 'no-baseline')
    return (
      <EmptyState title="This host has no pinned baseline">
        Open a run of this host you trust and press Pin as baseline (analysts), or compare with the previous run.
      </EmptyState>
    );
  if (diff.empty === 'is-baseline')
    return (
      <EmptyState title="This run is the host's baseline">
        Open a later run of this host and compare it with the pinned baseline.
      </EmptyState>
    );
  if (diff.entries.length === 0)
    return (
      <EmptyState icon={<CircleCheck className="size-6 text-ok" aria-hidden />} title="Identical">
        The same {diff.counts.unchanged} executables at the same paths with the same hashes as run {diff.other?.id}.
      </EmptyState>
    );

  const chip = (value: DiffKind | null, text: string, count: number) => (
    <button
      key={value ?? 'all'}
      type="button"
      aria-pressed={kind === value}
      onClick={() => setUrlValue(runParams.diffKind, value)}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium',
        kind === value ? 'border-accent bg-info-bg text-fg' : 'border-border text-muted hover:text-fg',
      )}
    >
      {text}
      <span className="tabular-nums">{count}</span>
    </button>
  );
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Show changes">
        {chip(null, 'All changes', diff.entries.length)}
        {(['new', 'changed', 'gone'] as const).map((k) => chip(k, DIFF_KIND_LABELS[k], diff.counts[k]))}
        <span className="text-xs text-muted">{diff.counts.unchanged} unchanged</span>
      </div>
      <DataTable
        label="Diff"
        data={rows}
        columns={diffColumns}
        getRowId={diffRowId}
        filterFn={diffFilterFn}
        filterPlaceholder="Filter by path, hash, process, PID, user or badge"
        urlKeys={runParams.diffTable}
        defaultSort={diffDefaultSort}
        emptyState={
          <div className="flex flex-col items-center gap-2 text-center">
            <Inbox className="size-6 text-muted" aria-hidden />
            <p className="text-sm font-medium">No {kind ? DIFF_KIND_LABELS[kind].toLowerCase() : ''} executables</p>
            <button
              type="button"
              className="text-sm font-medium text-accent hover:underline"
              onClick={() => setUrlValue(runParams.diffKind, null)}
            >
              Show all changes
            </button>
          </div>
        }
      />
    </div>
  );
}
