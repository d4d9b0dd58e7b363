'use client';

import { CircleCheck, Inbox } from 'lucide-react';
import { useMemo, type ReactNode } from 'react';
import { DIFF_KIND_LABELS, type DiffKind } from '@/domain/run-diff';
import { DataTable } from '@/app/_components/tables/data-table';
import { diffColumns, diffDefaultSort, diffFilterFn, diffRowId } from '@/app/_components/tables/diff/columns';
import { UntrustedText } from '@/app/_components/tables/untrusted-text';
import { setUrlValue, useUrlValue } from '@/app/_components/url/url-state';
import { Card } from '@/app/_components/ui/card';
import { cn } from '@/app/_components/ui/cn';
import type { RunDiff } from '@/app/_trpc/types';
import { runParams } from './run-params';

/**
 * The changes between the two runs: chips by kind (`dkind=new|gone|changed`), the table
 * (`dsort`/`dcols` its sort and columns), or what to do when there is nothing to compare.
 */

function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children: ReactNode }) {
  return (
    <Card className="flex flex-col items-center gap-2 p-10 text-center">
      {icon ?? <Inbox className="size-6 text-muted" aria-hidden />}
      <p className="text-sm font-medium">{title}</p>
      <p className="max-w-lg text-sm text-muted">{children}</p>
    </Card>
  );
}

export function DiffBody({ diff }: { diff: RunDiff }) {
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
