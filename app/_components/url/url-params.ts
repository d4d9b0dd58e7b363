/**
 * A page's search params, declared once: each has its name, how a raw value reads (anything a
 * link may carry, including nothing or garbage, reads as a value) and how a value is written
 * (null: left out of the URL, which is how the default is written). Pure, so the server page reads
 * the same declaration the client's components read and write through url-state.tsx.
 *
 * Links outlive releases: a param's name and the values it writes never change.
 */
export interface UrlParam<T> {
  readonly key: string;
  parse(raw: string | null): T;
  format(value: T): string | null;
}

/** What a page component receives as `searchParams`. */
export type SearchParamsRecord = Record<string, string | string[] | undefined>;

/** The request's search params as one string (no `?`): the URL state the client hydrates with. */
export function toSearchString(params: SearchParamsRecord): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const v of value) out.append(key, v);
    else if (value !== undefined) out.append(key, value);
  }
  return out.toString();
}

/** One param's value from a search string or its parsed form (the server's side). */
export function readParam<T>(param: UrlParam<T>, search: string | URLSearchParams): T {
  return param.parse(new URLSearchParams(search).get(param.key));
}

/** The URL patch that writes one value (for url-state.tsx's updateUrlParams). */
export function paramPatch<T>(param: UrlParam<T>, value: T): Record<string, string | null> {
  return { [param.key]: param.format(value) };
}

/** Free text; absent and empty read as ''. */
export function textParam(key: string): UrlParam<string> {
  return { key, parse: (raw) => raw ?? '', format: (v) => v || null };
}

/** Free text that may be absent (null). */
export function optionalTextParam(key: string): UrlParam<string | null> {
  return { key, parse: (raw) => raw || null, format: (v) => v || null };
}

/** One of a fixed list; absent or unknown reads as the fallback, which is never written. */
export function enumParam<const V extends string>(key: string, values: readonly V[], fallback: V): UrlParam<V> {
  return {
    key,
    parse: (raw) => ((values as readonly string[]).includes(raw ?? '') ? (raw as V) : fallback),
    format: (v) => (v === fallback ? null : v),
  };
}

/** One of a fixed list, or null when absent or unknown. */
export function optionalEnumParam<const V extends string>(key: string, values: readonly V[]): UrlParam<V | null> {
  return {
    key,
    parse: (raw) => ((values as readonly string[]).includes(raw ?? '') ? (raw as V) : null),
    format: (v) => v,
  };
}

/** On when the param holds exactly `on`; off is written as nothing. */
export function toggleParam(key: string, on: string): UrlParam<boolean> {
  return { key, parse: (raw) => raw === on, format: (v) => (v ? on : null) };
}

/**
 * The search-param names of one data table: its sort, its visible columns and its filter text.
 * Sort and columns are read and written by table-url-codec.ts with the table's own columns, which
 * only the table loads (a page's params must not pull a lazy table's code into its first load).
 */
export interface TableParams {
  readonly sort: string;
  readonly cols: string;
  readonly filter: string;
}
