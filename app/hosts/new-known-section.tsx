'use client';

import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { ChartFigure } from '../_components/charts/chart-figure';
import { ErrorCard } from '../_components/error-card';
import { formatCount } from '../_components/format';
import { Card } from '../_components/ui/card';
import { Skeleton } from '../_components/ui/skeleton';
import { useTRPC } from '../_trpc/client';

/** Recharts loads after the page is interactive, never in its first load. */
const NewKnownChart = dynamic(() => import('../_components/charts/bar-charts').then((m) => m.NewKnownChart), {
  ssr: false,
});

export const NEW_KNOWN_DAYS = 30;

/** New vs known executables per day across the fleet's runs (one SQL aggregate on the server). */
export function NewKnownSection() {
  const trpc = useTRPC();
  const days = useQuery(
    trpc.fleet.newVsKnown.queryOptions({ days: NEW_KNOWN_DAYS }, { refetchInterval: 60_000, refetchOnMount: 'always' }),
  );
  if (days.isPending) return <Skeleton className="h-[270px] w-full" />;
  if (days.isError)
    return (
      <ErrorCard
        message={`Could not load the executables timeline: ${days.error.message}`}
        onRetry={() => void days.refetch()}
      />
    );
  const totals = days.data.reduce((t, d) => ({ new: t.new + d.new, known: t.known + d.known }), { new: 0, known: 0 });
  const active = days.data.filter((d) => d.new + d.known > 0);
  return (
    <Card className="px-4 py-3">
      <ChartFigure
        title={`New vs known executables, last ${NEW_KNOWN_DAYS} days (UTC)`}
        summary={
          `${formatCount(totals.new)} first seen in these days, ${formatCount(totals.known)} seen before. ` +
          active.map((d) => `${d.day}: ${formatCount(d.new)} new, ${formatCount(d.known)} known`).join('; ')
        }
        empty={
          active.length === 0
            ? `No run in the last ${NEW_KNOWN_DAYS} days. Collect a run or connect an agent to fill this chart.`
            : null
        }
      >
        <NewKnownChart data={days.data} />
      </ChartFigure>
      <p className="mt-1 text-xs text-muted">
        Each bar counts the distinct executables that ran that day on any host: new when no run had seen them on an
        earlier day.
      </p>
    </Card>
  );
}
