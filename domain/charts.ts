import { VERDICT_LABELS, type HashVtState, type PendingState, type Verdict } from './verdict';

/**
 * The numbers behind the run and fleet charts, as pure functions: the charts only draw what these
 * return, and the same numbers feed each chart's text alternative.
 */

/** What a chart needs of one process row (a subset of the run page's rows). */
export interface ChartProcess {
  pid: number;
  name: string;
  sha256: string | null;
  rssBytes: number | null;
  vt: HashVtState | null;
}

/** VTScore buckets: 0 and 1 alone (the verdict turns on them), then widening ranges. */
export const SCORE_BUCKETS = [
  { label: '0', min: 0, max: 0 },
  { label: '1', min: 1, max: 1 },
  { label: '2–4', min: 2, max: 4 },
  { label: '5–9', min: 5, max: 9 },
  { label: '10–19', min: 10, max: 19 },
  { label: '20+', min: 20, max: Number.POSITIVE_INFINITY },
] as const;

export interface ScoreBucket {
  label: string;
  executables: number;
  /** The most severe verdict in the bucket (the threshold is the server's), null when empty. */
  worst: Verdict | null;
}

const SEVERITY: readonly Verdict[] = ['malicious', 'needs-research', 'not-malicious'];

export type ChartVerdict = Verdict | PendingState | 'unchecked';

/** Verdict order on the chart: what needs action first. */
export const CHART_VERDICTS: readonly ChartVerdict[] = [
  'malicious',
  'needs-research',
  'not-malicious',
  'not-found',
  'pending',
  'failed',
  'unchecked',
];

export const CHART_VERDICT_LABELS: Record<ChartVerdict, string> = {
  malicious: VERDICT_LABELS.malicious,
  'needs-research': VERDICT_LABELS['needs-research'],
  'not-malicious': VERDICT_LABELS['not-malicious'],
  'not-found': VERDICT_LABELS['not-found'],
  pending: VERDICT_LABELS.pending,
  failed: VERDICT_LABELS.failed,
  unchecked: 'Not checked yet',
};

export interface VerdictCount {
  verdict: ChartVerdict;
  label: string;
  executables: number;
}

export interface MemoryUser {
  /** "name (pid)": unique per row, so two processes of one name stay two bars. */
  label: string;
  name: string;
  pid: number;
  rssBytes: number;
}

export interface RunChartData {
  /** Distinct executables with a VirusTotal report, by VTScore bucket (empty buckets kept). */
  scores: ScoreBucket[];
  /** How many distinct executables have a VTScore (the score chart is empty without one). */
  scored: number;
  /** Distinct hashed executables by verdict (zero counts dropped). */
  verdicts: VerdictCount[];
  /** The processes using the most resident memory, largest first. */
  topMemory: MemoryUser[];
}

export const TOP_MEMORY_COUNT = 10;

function chartVerdictOf(vt: HashVtState | null): ChartVerdict | null {
  if (vt === null) return 'unchecked';
  if (vt.state === 'checked') return vt.verdict;
  if (vt.state === 'not-hashed') return null;
  return vt.state;
}

/** A run's chart numbers from its process rows; executables are counted once per hash. */
export function runChartData(rows: readonly ChartProcess[], topCount = TOP_MEMORY_COUNT): RunChartData {
  const byHash = new Map<string, HashVtState | null>();
  for (const r of rows) if (r.sha256 !== null && !byHash.has(r.sha256)) byHash.set(r.sha256, r.vt);

  const scoreCounts: number[] = SCORE_BUCKETS.map(() => 0);
  const worst: (Verdict | null)[] = SCORE_BUCKETS.map(() => null);
  const verdictCounts = new Map<ChartVerdict, number>();
  let scored = 0;
  for (const vt of byHash.values()) {
    const verdict = chartVerdictOf(vt);
    if (verdict !== null) verdictCounts.set(verdict, (verdictCounts.get(verdict) ?? 0) + 1);
    if (vt?.state === 'checked' && vt.vtScore !== null) {
      const score = vt.vtScore;
      const i = SCORE_BUCKETS.findIndex((b) => score >= b.min && score <= b.max);
      if (i >= 0) {
        scoreCounts[i] = (scoreCounts[i] ?? 0) + 1;
        scored += 1;
        const w = worst[i];
        if (w == null || SEVERITY.indexOf(vt.verdict) < SEVERITY.indexOf(w)) worst[i] = vt.verdict;
      }
    }
  }

  const topMemory = rows
    .filter((r): r is ChartProcess & { rssBytes: number } => r.rssBytes !== null && r.rssBytes > 0)
    .toSorted((a, b) => b.rssBytes - a.rssBytes || a.pid - b.pid)
    .slice(0, topCount)
    .map((r) => ({ label: `${r.name} (${r.pid})`, name: r.name, pid: r.pid, rssBytes: r.rssBytes }));

  return {
    scores: SCORE_BUCKETS.map((b, i) => ({
      label: b.label,
      executables: scoreCounts[i] ?? 0,
      worst: worst[i] ?? null,
    })),
    scored,
    verdicts: CHART_VERDICTS.filter((v) => (verdictCounts.get(v) ?? 0) > 0).map((v) => ({
      verdict: v,
      label: CHART_VERDICT_LABELS[v],
      executables: verdictCounts.get(v) ?? 0,
    })),
    topMemory,
  };
}

/** One day of the fleet's "new vs known executables" chart. */
export interface NewKnownDay {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  /** Executables seen that day for the first time anywhere in the fleet. */
  new: number;
  /** Executables seen that day that some run had seen on an earlier day. */
  known: number;
}

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a UTC day. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Fills the days without a run with zeros, from `from` to `to` (UTC days, inclusive), so the time
 * axis is even; rows outside the range are dropped.
 */
export function fillDays(rows: readonly NewKnownDay[], from: string, to: string): NewKnownDay[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: NewKnownDay[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY_MS) {
    const day = utcDay(new Date(t));
    const r = byDay.get(day);
    out.push({ day, new: r?.new ?? 0, known: r?.known ?? 0 });
  }
  return out;
}
