/**
 * A percentage (a process's memory %, a collection's minimum memory %): a finite number from 0 to
 * PERCENT_MAX. One rule for every edge that takes one (the dashboard's form, `--min-mem`, the
 * collect procedure, an agent's snapshot, an imported workbook), each with its own sentence. No
 * zod here: the dashboard's form imports it.
 */
export const PERCENT_MAX = 100;

export function isPercent(n: number): boolean {
  return Number.isFinite(n) && n >= 0 && n <= PERCENT_MAX;
}
