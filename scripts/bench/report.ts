/**
 * The bench's result lines, their PASS/MISS logic and the Markdown table. Pure: no I/O, so the
 * Vitest smoke test checks it directly.
 *
 * Every figure sits beside a baseline measured in the same run; `ratio` is figure ÷ baseline.
 * A target is judged on the ratio (the default) or, where the brief sets an absolute bound
 * (milliseconds, kilobytes, request counts), on the figure itself.
 */
export type Status = 'PASS' | 'MISS' | 'INFO' | 'SKIP' | 'ERROR';

export interface Quantity {
  value: number;
  unit: string;
}

export interface Target {
  on: 'ratio' | 'figure';
  op: '<=' | '<' | '>=' | '==';
  value: number;
  /** How the table shows it, e.g. "≥ 4× faster"; derived from op/value when absent. */
  label?: string;
}

export interface BenchLine {
  /** Which benchmark module produced it (`--only` name). */
  bench: string;
  name: string;
  figure: Quantity | null;
  baseline: (Quantity & { label: string }) | null;
  /** figure ÷ baseline, or a line-specific ratio (then `note` says so). */
  ratio: number | null;
  target: Target | null;
  status: Status;
  note?: string;
}

export type LineInput = Omit<BenchLine, 'ratio' | 'status'> & { ratio?: number | null; status?: Status };

export function ratioOf(figure: number, baseline: number): number | null {
  if (!Number.isFinite(figure) || !Number.isFinite(baseline) || baseline === 0) return null;
  return figure / baseline;
}

export function meets(actual: number | null, target: Target): boolean {
  if (actual === null || !Number.isFinite(actual)) return false;
  switch (target.op) {
    case '<=':
      return actual <= target.value;
    case '<':
      return actual < target.value;
    case '>=':
      return actual >= target.value;
    case '==':
      return actual === target.value;
  }
}

/** Builds a line: fills the ratio from figure/baseline unless given, and judges the target. */
export function line(input: LineInput): BenchLine {
  const ratio =
    input.ratio !== undefined
      ? input.ratio
      : input.figure && input.baseline
        ? ratioOf(input.figure.value, input.baseline.value)
        : null;
  let status: Status;
  if (input.status) status = input.status;
  else if (!input.target) status = 'INFO';
  else
    status = meets(input.target.on === 'ratio' ? ratio : (input.figure?.value ?? null), input.target) ? 'PASS' : 'MISS';
  return { ...input, ratio, status };
}

export function errorLine(bench: string, error: unknown): BenchLine {
  const message = error instanceof Error ? error.message : String(error);
  return line({
    bench,
    name: `${bench} — failed`,
    figure: null,
    baseline: null,
    target: null,
    status: 'ERROR',
    note: message.split('\n')[0]?.slice(0, 300),
  });
}

// ---- formatting -------------------------------------------------------------------------------

function trimNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

export function formatQuantity(q: Quantity | null): string {
  if (!q) return '—';
  if (!Number.isFinite(q.value)) return 'n/a';
  return q.unit ? `${trimNumber(q.value)} ${q.unit}` : trimNumber(q.value);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? '—' : `${trimNumber(ratio)}×`;
}

export function formatTarget(t: Target | null): string {
  if (!t) return '—';
  if (t.label) return t.label;
  const op = { '<=': '≤', '<': '<', '>=': '≥', '==': '=' }[t.op];
  const v = String(Number(t.value.toPrecision(3)));
  return t.on === 'ratio' ? `${op} ${v}×` : `${op} ${v}`;
}

/** Pipes and newlines would break a Markdown row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function formatTable(lines: readonly BenchLine[]): string {
  const header = ['Benchmark', 'Figure', 'Baseline', 'Ratio', 'Target', 'Status'];
  const rows = lines.map((l) => [
    l.name,
    formatQuantity(l.figure),
    l.baseline ? `${formatQuantity(l.baseline)} (${l.baseline.label})` : '—',
    formatRatio(l.ratio),
    formatTarget(l.target),
    l.status,
  ]);
  const out = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`);
  return out.join('\n');
}

/** The notes under the table: one bullet per line that carries one. */
export function formatNotes(lines: readonly BenchLine[]): string {
  return lines
    .filter((l) => l.note)
    .map((l) => `- **${cell(l.name)}**: ${cell(l.note ?? '')}`)
    .join('\n');
}

export function summarize(lines: readonly BenchLine[]): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, MISS: 0, INFO: 0, SKIP: 0, ERROR: 0 };
  for (const l of lines) counts[l.status]++;
  return counts;
}
