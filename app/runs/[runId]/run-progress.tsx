import type { RunSummary } from '@/app/_trpc/types';

type Progress = RunSummary['progress'];

/** "Hashing executables 12 of 85", or what the collector is doing when there is no count. */
export function progressText(p: Progress): string {
  if (!p) return 'Collecting processes…';
  if (p.phase === 'enumerating')
    return p.total > 0 ? `Enumerating processes ${p.done} of ${p.total}` : 'Enumerating processes…';
  if (p.phase === 'hashing') return `Hashing executables ${p.done} of ${p.total}`;
  return 'Saving results…';
}

/**
 * The collector's progress, polled every second. Without progress (the run is being collected by
 * another process, such as the CLI) the bar is indeterminate.
 */
export function RunProgress({ progress }: { progress: Progress }) {
  const text = progressText(progress);
  const determinate = progress !== null && progress.total > 0 && progress.phase !== 'done';
  const pct = determinate ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium tabular-nums">{text}</span>
        {pct !== null && <span className="text-xs text-muted tabular-nums">{pct}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label="Collection progress"
        aria-valuemin={0}
        aria-valuemax={determinate ? progress.total : undefined}
        aria-valuenow={determinate ? progress.done : undefined}
        aria-valuetext={text}
        className="h-1.5 overflow-hidden rounded-full bg-surface-2"
      >
        <div
          className={
            pct === null
              ? 'h-full w-1/3 animate-pulse rounded-full bg-accent'
              : 'h-full rounded-full bg-accent transition-[width] duration-500'
          }
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
    </div>
  );
}
