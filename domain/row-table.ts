/**
 * Many records of one shape sent column by column, the way a whole run's processes travel to the
 * browser: field names once instead of once per row, and a field whose values repeat (names, users,
 * paths, hashes, the VirusTotal state of an executable) as its distinct values plus one small index
 * per row. 10,000 processes shrink to about a third of their JSON as row objects, and the browser
 * rebuilds the very same row objects (decodeRowTable).
 *
 * Values stay what the rows hold, and must be JSON values: numbers as numbers, strings as strings,
 * null, objects and arrays as they are (equal ones shared by the rows that hold them, so treat
 * decoded rows as read-only). Dates travel as ISO strings, made so before encoding.
 */
export type RowColumn =
  /** Every row's value, in row order: numbers and strings that seldom repeat. */
  | { v: unknown[] }
  /** The distinct values, and for every row the index of its value among them. */
  | { d: unknown[]; i: number[] };

/**
 * A class, not a plain object, so the transformer (domain/transformer.ts) can send it as the JSON
 * it already is instead of walking its quarter of a million values one by one.
 */
export class RowTable<T> {
  /** The row type, for the compiler only; never present. */
  declare readonly rowType?: T;
  constructor(
    /** How many rows. */
    readonly n: number,
    /** Field names, in the rows' own key order. */
    readonly k: string[],
    /** One column per field, in the order of `k`. */
    readonly c: RowColumn[],
  ) {}
}

/** The row type of a table (for types derived from a procedure's output). */
export type RowOf<X> = X extends RowTable<infer T> ? T : never;

/** A dictionary pays off when values repeat; unique strings and measures travel as they are. */
function column(values: unknown[]): RowColumn {
  const index = new Map<unknown, number>();
  const d: unknown[] = [];
  const i = new Array<number>(values.length);
  let objects = false;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    // Objects and arrays are equal when their JSON is (rows build them in one key order).
    const key = v !== null && typeof v === 'object' ? ((objects = true), `\u0000${JSON.stringify(v)}`) : v;
    let at = index.get(key);
    if (at === undefined) {
      at = d.length;
      index.set(key, at);
      d.push(v);
    }
    i[r] = at;
  }
  return objects || d.length * 2 <= values.length ? { d, i } : { v: values };
}

export function encodeRowTable<T extends object>(rows: ReadonlyArray<T>): RowTable<T> {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
  const c = keys.map((key) => column(rows.map((row) => (row as Record<string, unknown>)[key])));
  return new RowTable<T>(rows.length, keys, c);
}

export function decodeRowTable<T>(table: RowTable<T>): T[] {
  const { n, k, c } = table;
  const read = c.map((col) => ('d' in col ? (r: number) => col.d[col.i[r] as number] : (r: number) => col.v[r]));
  const rows = new Array<T>(n);
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < k.length; j++) row[k[j] as string] = (read[j] as (r: number) => unknown)(r);
    rows[r] = row as T;
  }
  return rows;
}

function sameColumn(a: RowColumn, b: RowColumn): boolean {
  if ('d' in a !== 'd' in b) return false;
  const [x, y] = 'd' in a ? [a.i, (b as typeof a).i] : [a.v, (b as typeof a).v];
  if (x.length !== y.length || x.some((v, r) => v !== y[r])) return false;
  // The distinct values are few; objects among them compare by their JSON, as encoding keyed them.
  return !('d' in a) || JSON.stringify(a.d) === JSON.stringify((b as typeof a).d);
}

/**
 * `previous` when `next` holds the same rows, else `next`: a table refetched every few seconds
 * while VirusTotal answers come in keeps its decoded rows (and everything computed from them)
 * until a row really changes.
 */
export function keepSameRowTable(previous: unknown, next: unknown): unknown {
  if (!(previous instanceof RowTable) || !(next instanceof RowTable)) return next;
  const same =
    previous.n === next.n &&
    previous.k.length === next.k.length &&
    previous.k.every((key, j) => key === next.k[j] && sameColumn(previous.c[j] as RowColumn, next.c[j] as RowColumn));
  return same ? previous : next;
}
