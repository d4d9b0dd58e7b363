import { AlertTriangle } from 'lucide-react';
import { formatDateTime } from '@/app/_components/format';
import { UntrustedText } from '@/app/_components/tables/untrusted-text';
import type { RunDiff } from '@/app/_trpc/types';

/** One sentence on what was compared (and the baseline), and a warning when the runs are of two hosts. */
const AGAINST_TEXT = { previous: 'the previous completed run of this host', baseline: "this host's pinned baseline" };

export function DiffSummary({ diff }: { diff: RunDiff }) {
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
