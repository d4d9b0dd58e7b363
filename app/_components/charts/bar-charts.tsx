'use client';

import { Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartVerdict, MemoryUser, NewKnownDay, ScoreBucket, VerdictCount } from '@/domain/charts';
import { formatBytes } from '@/app/_components/format';

/**
 * The Recharts drawings, loaded lazily (next/dynamic) so no page's first load carries them. Colours
 * are the theme's CSS variables, so both themes stay readable without a re-render.
 */

const CHART_STYLE = { width: '100%', height: 220 } as const;
const AXIS_TICK = { fill: 'var(--muted)', fontSize: 12 } as const;
const TOOLTIP = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    borderRadius: 6,
    color: 'var(--fg)',
    fontSize: 12,
  },
  labelStyle: { color: 'var(--fg)', fontWeight: 600 },
  itemStyle: { color: 'var(--fg)' },
  cursor: { fill: 'var(--surface-2)' },
} as const;

export const VERDICT_COLORS: Record<ChartVerdict, string> = {
  malicious: 'var(--danger)',
  'needs-research': 'var(--warn)',
  'not-malicious': 'var(--ok)',
  'not-found': 'var(--muted)',
  pending: 'var(--accent)',
  failed: 'var(--danger)',
  unchecked: 'var(--border)',
};

/** Distinct executables per VTScore bucket, each coloured by the most severe verdict in it. */
export function ScoreChart({ data }: { data: ScoreBucket[] }) {
  return (
    <BarChart responsive style={CHART_STYLE} data={data} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="label"
        tick={AXIS_TICK}
        stroke="var(--border)"
        label={{ value: 'VTScore', position: 'insideBottom', offset: -10, fill: 'var(--muted)', fontSize: 12 }}
      />
      <YAxis allowDecimals={false} tick={AXIS_TICK} stroke="var(--border)" width={36} />
      <Tooltip {...TOOLTIP} formatter={(v) => [v, 'Executables']} />
      <Bar dataKey="executables" name="Executables" isAnimationActive={false}>
        {data.map((b) => (
          <Cell key={b.label} fill={b.worst ? VERDICT_COLORS[b.worst] : 'var(--muted)'} />
        ))}
      </Bar>
    </BarChart>
  );
}

export function VerdictChart({ data }: { data: VerdictCount[] }) {
  return (
    <BarChart
      responsive
      style={CHART_STYLE}
      data={data}
      layout="vertical"
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
    >
      <CartesianGrid horizontal={false} stroke="var(--border)" />
      <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} stroke="var(--border)" />
      <YAxis type="category" dataKey="label" tick={AXIS_TICK} stroke="var(--border)" width={110} />
      <Tooltip {...TOOLTIP} formatter={(v) => [v, 'Executables']} />
      <Bar dataKey="executables" name="Executables" isAnimationActive={false}>
        {data.map((v) => (
          <Cell key={v.verdict} fill={VERDICT_COLORS[v.verdict]} />
        ))}
      </Bar>
    </BarChart>
  );
}

const MB = 1024 * 1024;

export function MemoryChart({ data }: { data: MemoryUser[] }) {
  // One line per bar: a long name is cut, the pid stays, and a no-break space keeps them together.
  const rows = data.map((m) => ({
    label: `${m.name.length > 16 ? `${m.name.slice(0, 15)}…` : m.name}\u00a0(${m.pid})`,
    mib: Math.round((m.rssBytes / MB) * 10) / 10,
    bytes: m.rssBytes,
    full: m.label,
  }));
  return (
    <BarChart
      responsive
      style={CHART_STYLE}
      data={rows}
      layout="vertical"
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
    >
      <CartesianGrid horizontal={false} stroke="var(--border)" />
      <XAxis type="number" tick={AXIS_TICK} stroke="var(--border)" unit=" MiB" />
      <YAxis
        type="category"
        dataKey="label"
        tick={{ ...AXIS_TICK, fontSize: 11 }}
        stroke="var(--border)"
        width={140}
        interval={0}
      />
      <Tooltip
        {...TOOLTIP}
        formatter={(_v, _n, item) => [formatBytes((item.payload as { bytes: number }).bytes), 'Resident memory']}
        labelFormatter={(_l, payload) => (payload[0]?.payload as { full?: string } | undefined)?.full ?? ''}
      />
      <Bar dataKey="mib" name="Resident memory" fill="var(--accent)" isAnimationActive={false} />
    </BarChart>
  );
}

const shortDay = (day: string) => day.slice(5);

export function NewKnownChart({ data }: { data: NewKnownDay[] }) {
  return (
    <BarChart responsive style={CHART_STYLE} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis dataKey="day" tick={AXIS_TICK} stroke="var(--border)" tickFormatter={shortDay} minTickGap={12} />
      <YAxis allowDecimals={false} tick={AXIS_TICK} stroke="var(--border)" width={40} />
      <Tooltip {...TOOLTIP} />
      <Legend wrapperStyle={{ fontSize: 12, color: 'var(--fg)' }} />
      <Bar dataKey="new" name="New" stackId="day" fill="var(--danger)" isAnimationActive={false} />
      <Bar dataKey="known" name="Known" stackId="day" fill="var(--muted)" isAnimationActive={false} />
    </BarChart>
  );
}
