'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pin, PinOff } from 'lucide-react';
import { DIFF_AGAINST_PROBLEM } from '@/domain/run-diff';
import { DownloadButton } from '@/app/_components/download-button';
import { ErrorCard } from '@/app/_components/error-card';
import { setUrlValue, useUrlParam, useUrlValue } from '@/app/_components/url/url-state';
import { Button } from '@/app/_components/ui/button';
import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import { useTRPC } from '@/app/_trpc/client';
import { ComparePicker } from './compare-picker';
import { DiffBody } from './diff-body';
import { DiffSummary } from './diff-summary';
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
