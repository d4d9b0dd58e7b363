import type { ReactNode } from 'react';

/**
 * One chart with its title and its text alternative: the drawing is an image whose accessible name is
 * the title plus the numbers it shows (a screen reader hears the data, not the SVG), or the empty
 * state's sentence when there is nothing to draw.
 */
export function ChartFigure({
  title,
  summary,
  empty,
  children,
}: {
  title: string;
  /** The chart's numbers as one sentence (the text alternative). */
  summary: string;
  /** Shown instead of the chart when set (what to do to get data). */
  empty?: string | null;
  children: ReactNode;
}) {
  return (
    <figure className="min-w-0 space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      {empty ? (
        <p className="flex h-[220px] items-center justify-center rounded-md border border-dashed border-border px-4 text-center text-sm text-muted">
          {empty}
        </p>
      ) : (
        <div role="img" aria-label={`${title}: ${summary}`} className="h-[220px]">
          {children}
        </div>
      )}
    </figure>
  );
}
