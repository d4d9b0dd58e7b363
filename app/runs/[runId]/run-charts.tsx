'use client';

import { useMemo } from 'react';
import { ChartFigure } from '@/app/_components/charts/chart-figure';
import { MemoryChart, ScoreChart, VerdictChart } from '@/app/_components/charts/bar-charts';
import { formatBytes, formatCount } from '@/app/_components/format';
import type { ProcessRow } from '@/app/_trpc/types';
import { runChartData } from '@/domain/charts';

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * The run's charts, drawn from the process rows the page already holds (no request of its own).
 * Loaded with next/dynamic from run-view.tsx: Recharts is not in the page's first load.
 */
export function RunCharts({ rows }: { rows: ProcessRow[] }) {
  const data = useMemo(() => runChartData(rows), [rows]);
  const unchecked = data.verdicts.every((v) => v.verdict === 'unchecked');
  return (
    <details open className="group rounded-lg border border-border bg-surface shadow-sm">
      <summary className="cursor-pointer px-4 py-3 text-sm font-semibold tracking-tight group-open:border-b group-open:border-border">
        <h2 className="inline">Charts</h2>
      </summary>
      <div className="grid gap-6 px-4 py-3 md:grid-cols-2 xl:grid-cols-3">
        <ChartFigure
          title="VTScore distribution"
          summary={data.scores
            .map((b) => `VTScore ${b.label}: ${plural(b.executables, 'executable', 'executables')}`)
            .join('; ')}
          empty={
            data.scored > 0
              ? null
              : unchecked
                ? 'Check on VirusTotal to see scores.'
                : 'No VTScore yet: VirusTotal has no report for the executables checked so far.'
          }
        >
          <ScoreChart data={data.scores} />
        </ChartFigure>
        <ChartFigure
          title="Verdicts"
          summary={data.verdicts
            .map((v) => `${v.label}: ${plural(v.executables, 'executable', 'executables')}`)
            .join('; ')}
          empty={
            data.verdicts.length === 0
              ? 'This run has no hashed executables.'
              : unchecked
                ? 'Check on VirusTotal to see verdicts.'
                : null
          }
        >
          <VerdictChart data={data.verdicts} />
        </ChartFigure>
        <ChartFigure
          title="Top memory users"
          summary={data.topMemory.map((m) => `${m.label}: ${formatBytes(m.rssBytes)}`).join('; ')}
          empty={data.topMemory.length === 0 ? 'No process in this run reported its memory.' : null}
        >
          <MemoryChart data={data.topMemory} />
        </ChartFigure>
      </div>
    </details>
  );
}
