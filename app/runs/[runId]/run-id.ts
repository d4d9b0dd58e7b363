/** A run id from the URL: a positive whole number that fits the database's integer, else null. */
export function parseRunIdParam(raw: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2_147_483_647 ? n : null;
}
