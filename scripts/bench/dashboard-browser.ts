import type { Browser, BrowserContext, Page } from '@playwright/test';
import { FILTER_TERMS } from './dashboard-data';
import { PROBES_SOURCE, type FilterSample, type LoadMarks, type ProbeError, type SortSample } from './page-probes';
import { median } from './stats';

/**
 * Driving the run page in Chromium: a first visit with the probes installed (page-probes.ts), and
 * the timed gestures. Every gesture is repeated after one untimed warm-up and waits for the page
 * to go idle before the next.
 */
type Cookie = Parameters<BrowserContext['addCookies']>[0][number];

export const isError = (x: unknown): x is ProbeError => typeof x === 'object' && x !== null && 'error' in x;

export interface LoadTiming {
  documentEnd: number | null;
  /** The HTML as decoded: with the rows prefetched on the server, they travel inside it. */
  documentBytes: number | null;
  domContentLoaded: number | null;
  rowsRequestStart: number | null;
  rowsResponseStart: number | null;
  rowsResponseEnd: number | null;
  rowsBytes: number | null;
  rowsTransferBytes: number | null;
}

export interface Loaded {
  page: Page;
  marks: LoadMarks;
  timing: LoadTiming;
  scripts: string[];
  close(): Promise<void>;
}

/**
 * A first visit: a fresh browser context (empty HTTP cache) per load, holding the access cookie
 * (as a browser that opened the printed link once does), so the load is the page, not a redirect.
 */
export async function load(browser: Browser, url: string, cookie: Cookie): Promise<Loaded> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies([cookie]);
  await context.addInitScript({ content: PROBES_SOURCE });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url, { waitUntil: 'commit' });
  try {
    // Polled from here: waitForFunction with a string evaluates it inside the page, which the page's
    // CSP (no 'unsafe-eval') refuses; an evaluation over the DevTools protocol is not subject to it.
    await pollPage(page, 'window.__bench && window.__bench.firstRowPaint !== null', 60_000, 'a painted table row');
  } catch (e) {
    const text = await page.evaluate('document.body ? document.body.innerText.slice(0, 300) : ""').catch(() => '');
    await context.close();
    throw new Error(
      `no table row on ${url} within 60 s; page errors: ${pageErrors.join(' | ') || 'none'}; page text: ${JSON.stringify(text)}`,
      { cause: e },
    );
  }
  // A large run's page arrives with its first screen only; the whole run follows after hydration.
  await pollPage(page, 'window.__bench.allRows !== null', 60_000, 'row count of the whole run');
  const marks = (await page.evaluate(
    '({ firstRowDom: window.__bench.firstRowDom, firstRowPaint: window.__bench.firstRowPaint, allRows: window.__bench.allRows })',
  )) as LoadMarks;
  // Where the time goes: the document, and the tRPC request that carries the rows.
  const timing = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const rows = performance.getEntriesByType('resource').find((e) => e.name.includes('runs.processes'));
    return {
      documentEnd: nav ? nav.responseEnd : null,
      documentBytes: nav ? nav.decodedBodySize : null,
      domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
      rowsRequestStart: rows ? rows.startTime : null,
      rowsResponseStart: rows ? rows.responseStart : null,
      rowsResponseEnd: rows ? rows.responseEnd : null,
      rowsBytes: rows ? rows.decodedBodySize : null,
      rowsTransferBytes: rows ? rows.transferSize : null,
    };
  })()`)) as LoadTiming;
  return { page, marks, timing, scripts, close: () => context.close() };
}

/** Resolves when `expression` is truthy in the page; throws after `timeoutMs`. */
export async function pollPage(page: Page, expression: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The first rows can arrive in the server's HTML, before React has hydrated the page: a gesture
 * then would be lost (no handler yet). Gestures wait until the filter box has its React handlers.
 */
export const hydrated = (page: Page) =>
  pollPage(page, 'window.__benchProbes.hydrated()', 60_000, 'hydrated filter box');

export const idle = (page: Page) =>
  page.evaluate('new Promise((r) => requestIdleCallback(() => setTimeout(r, 100), { timeout: 1000 }))');

/** A text column (natural "alphanumeric" order) and a numeric one, clicked in turn. */
export const SORT_HEADERS = ['Process', 'PID'] as const;

export async function sortSamples(page: Page, reps: number): Promise<Array<SortSample & { header: string }>> {
  const out: Array<SortSample & { header: string }> = [];
  // Two untimed clicks first (JIT, first render of each sorted path); every click changes the
  // order, so the first row always changes.
  for (let i = 0; i < 2 + 2 * reps; i++) {
    const header = SORT_HEADERS[i % SORT_HEADERS.length] as string;
    const r = (await page.evaluate(`window.__benchProbes.clickSort(${JSON.stringify(header)})`)) as
      SortSample | ProbeError;
    if (isError(r)) throw new Error(`sort by ${header}: ${r.error}`);
    if (i >= 2) out.push({ ...r, header });
    await idle(page);
  }
  return out;
}

/** The slower column's median: a sort must be quick whichever header is clicked. */
export function sortFigure(samples: ReadonlyArray<SortSample & { header: string }>, pick: (s: SortSample) => number) {
  const per = Object.fromEntries(SORT_HEADERS.map((h) => [h, median(samples.filter((s) => s.header === h).map(pick))]));
  return { worst: Math.max(...Object.values(per)), per };
}

export async function filterSamples(page: Page, reps: number): Promise<FilterSample[]> {
  const out: FilterSample[] = [];
  for (let i = 0; i <= reps; i++) {
    const term = FILTER_TERMS[i % FILTER_TERMS.length] as string;
    const r = (await page.evaluate(`window.__benchProbes.filter(${JSON.stringify(term)})`)) as
      FilterSample | ProbeError;
    if (isError(r)) throw new Error(`filter "${term}": ${r.error}`);
    if (i > 0) out.push(r);
    await idle(page);
    const cleared = (await page.evaluate('window.__benchProbes.filter("")')) as FilterSample | ProbeError;
    if (isError(cleared)) throw new Error(`clearing the filter: ${cleared.error}`);
    await idle(page);
  }
  return out;
}
