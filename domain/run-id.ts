/**
 * What a run id is, with no dependency at all: the CLI's argument parser uses it on every start,
 * so `proclens --help` loads no package (the zod schema for procedure input is in ./runs).
 */
/** Run ids are PostgreSQL `serial`s: positive and within a 32-bit integer. */
export const MAX_RUN_ID = 2_147_483_647;

/**
 * A run id written as text (a URL segment, a CLI flag): plain digits only — no sign, exponent,
 * spaces or leading zero — within the database's integer; null otherwise.
 */
export function parseRunId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_RUN_ID ? n : null;
}
