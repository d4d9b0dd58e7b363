// Types for summary.mjs (plain JS so `npm test` needs no TypeScript loader).
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}

export function summarizeVitest(report: unknown, run: { exitCode: number | null }): Counts;
export function summarizePlaywright(report: unknown, run: { exitCode: number | null }): Counts;
export function summarizeLint(report: unknown, run: { exitCode: number | null }): Counts;
export function summarizeTypecheck(output: string, run: { exitCode: number | null }): Counts;
export function combineCounts(parts: ReadonlyArray<Partial<Counts>>): Counts;
export function formatSummaryLine(counts: { passed: number; failed: number; skipped?: number }): string;
