/** Cell formatting for the data tables (pure). */

export function formatPercent(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2);
}
