import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { ingestSnapshot } from '@/server/services/runs';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { removeDir, tempDir } from './cleanup';
import type { BenchContext, Benchmark } from './context';
import {
  filterSamples,
  hydrated,
  idle,
  isError,
  load,
  SORT_HEADERS,
  sortFigure,
  sortSamples,
  type LoadTiming,
} from './dashboard-browser';
import { FILTER_TERMS, hostileSnapshot } from './dashboard-data';
import { snapshotBuild, startProductionServer, type BuildInfo, type RunningServer } from './dashboard-server';
import { gzipSize, rootMainFiles, routeFirstLoadJs } from './js-size';
import type { FilterSample, ProbeError, SortSample } from './page-probes';
import { line, type BenchLine } from './report';
import { median, round } from './stats';

/**
 * The run page in Chromium against the production server: first table paint, sort and filter
 * latency on a 10,000-row run (baseline: the same page and gestures on a 20-row run), and the
 * route's first-load JS from the build manifests (baseline: the `/` page).
 */
const BIG_ROWS = 10_000;
const SMALL_ROWS = 20;
const LAUNCH_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking'];
const KB = 1024;

/** The bench's two runs (10,000 and 20 hostile rows) in a fresh data folder. */
export async function seedDashboardRuns(dataDir: string): Promise<{ big: number; small: number }> {
  const savedDataDir = process.env.DATA_DIR;
  try {
    const handle = await openTestDb({ dataDir });
    const big = await ingestSnapshot(handle.db, hostileSnapshot(BIG_ROWS, 800), 'cli');
    const small = await ingestSnapshot(handle.db, hostileSnapshot(SMALL_ROWS, SMALL_ROWS), 'cli');
    return { big, small };
  } finally {
    await closeTestDb();
    if (savedDataDir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = savedDataDir;
  }
}

/** The fleet page with the new vs known chart: its Recharts chunk loads lazily, outside the first load. */
function hostsJsLine(nextDir: string): BenchLine {
  const hosts = routeFirstLoadJs(nextDir, '/hosts');
  const home = routeFirstLoadJs(nextDir, '/');
  return line({
    bench: 'dashboard',
    name: 'First-load JS /hosts (gzip)',
    figure: { value: hosts.gzip / KB, unit: 'KB' },
    baseline: { value: home.gzip / KB, unit: 'KB', label: '`/` page' },
    target: { on: 'figure', op: '<=', value: 250, label: '≤ 250 KB' },
    note: `${hosts.files.length} chunks (${round(hosts.bytes / KB, 0)} KB raw), counted as for /runs/[runId]; the chart library is a separate lazy chunk`,
  });
}

function jsLines(ctx: BenchContext, nextDir: string, observed: string[]): BenchLine {
  const run = routeFirstLoadJs(nextDir, '/runs/[runId]');
  const home = routeFirstLoadJs(nextDir, '/');
  const framework = rootMainFiles(nextDir).reduce((s, f) => s + gzipSize(fs.readFileSync(path.join(nextDir, f))), 0);
  const seen = [...new Set(observed.filter((p) => p.startsWith('/_next/static/') && p.endsWith('.js')))];
  const seenGzip = seen.reduce((s, p) => {
    const file = path.join(nextDir, p.replace(/^\/_next\//, ''));
    return s + (fs.existsSync(file) ? gzipSize(fs.readFileSync(file)) : 0);
  }, 0);
  const inManifest = new Set(run.files.map((f) => `/_next/${f.file}`));
  const extra = seen.filter((p) => !inManifest.has(p));
  const missing = [...inManifest].filter((p) => !seen.includes(p));
  ctx.details.firstLoadJs = {
    run,
    home,
    frameworkGzip: framework,
    observedInBrowser: { files: seen, gzip: seenGzip, notInManifest: extra, notFetched: missing },
  };
  return line({
    bench: 'dashboard',
    name: 'First-load JS /runs/[runId] (gzip)',
    figure: { value: run.gzip / KB, unit: 'KB' },
    baseline: { value: home.gzip / KB, unit: 'KB', label: '`/` page' },
    target: { on: 'figure', op: '<=', value: 250, label: '≤ 250 KB' },
    note:
      `${run.files.length} chunks from build-manifest rootMainFiles + the route's client-reference-manifest entryJSFiles ` +
      `(${round(run.bytes / KB, 0)} KB raw); framework/runtime chunks alone ${round(framework / KB, 0)} KB; ` +
      `cross-check: the browser fetched ${seen.length} scripts (${round(seenGzip / KB, 0)} KB gz) during the 10,000-row load, ` +
      `${extra.length} of them not in the route's manifest (Link prefetches of other routes), ${missing.length} manifest chunk(s) not fetched`,
  });
}

export const dashboardBench: Benchmark = {
  name: 'dashboard',
  about: 'run page in Chromium: first table paint, sort and filter latency on 10,000 rows; first-load JS',
  async run(ctx) {
    const reps = ctx.reps(5, 2);
    const dataDir = tempDir('proclens-bench-dash-');
    let build: BuildInfo | null = null;
    let server: RunningServer | null = null;
    let browser: Browser | null = null;
    try {
      build = await snapshotBuild(ctx.log);
      ctx.log(
        `dashboard: serving a private copy of build ${build.buildId} (${build.builtAt})` +
          (build.newerSources.length ? `; ${build.newerSources.length} source file(s) changed since that build` : ''),
      );
      const runs = await seedDashboardRuns(dataDir);
      server = await startProductionServer(build.projectDir, dataDir);
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
      const urls = { big: `${server.url}/runs/${runs.big}`, small: `${server.url}/runs/${runs.small}` };

      // Warm-up loads (server-side module loading, first queries), then interleaved first visits.
      for (const u of [urls.big, urls.small]) await (await load(browser, u, server.cookie)).close();
      const paint = { big: [] as number[], small: [] as number[] };
      const domMark = { big: [] as number[], small: [] as number[] };
      const allRows = { big: [] as number[], small: [] as number[] };
      const timings = { big: [] as LoadTiming[], small: [] as LoadTiming[] };
      let observed: string[] = [];
      for (let i = 0; i < reps; i++) {
        for (const which of i % 2 ? (['small', 'big'] as const) : (['big', 'small'] as const)) {
          const l = await load(browser, urls[which], server.cookie);
          paint[which].push(l.marks.firstRowPaint ?? Number.NaN);
          domMark[which].push(l.marks.firstRowDom ?? Number.NaN);
          allRows[which].push(l.marks.allRows ?? Number.NaN);
          timings[which].push(l.timing);
          if (which === 'big' && observed.length === 0) observed = l.scripts;
          await l.close();
        }
      }
      ctx.log(
        `dashboard: first table paint ${round(median(paint.big), 0)} ms (10,000 rows) vs ${round(median(paint.small), 0)} ms (20 rows)`,
      );

      const gestures = {
        big: {
          sort: [] as Array<SortSample & { header: string }>,
          filter: [] as FilterSample[],
          filterByName: [] as FilterSample[],
        },
        small: {
          sort: [] as Array<SortSample & { header: string }>,
          filter: [] as FilterSample[],
          filterByName: [] as FilterSample[],
        },
      };
      for (const which of ['big', 'small'] as const) {
        const l = await load(browser, urls[which], server.cookie);
        try {
          await hydrated(l.page);
          await idle(l.page);
          // The filter first, on the order a visitor lands on (Memory % descending)...
          gestures[which].filter = await filterSamples(l.page, reps);
          gestures[which].sort = await sortSamples(l.page, reps);
          // ...and again with the text column sorted: every filter change re-sorts what it keeps.
          const r = (await l.page.evaluate('window.__benchProbes.clickSort("Process")')) as SortSample | ProbeError;
          if (isError(r) || r.ariaSort !== 'ascending') throw new Error('could not sort by Process before the filter');
          await idle(l.page);
          gestures[which].filterByName = await filterSamples(l.page, reps);
        } finally {
          await l.close();
        }
      }
      const m = (xs: number[]) => median(xs);
      const sortBig = sortFigure(gestures.big.sort, (s) => s.paint);
      const sortSmall = sortFigure(gestures.small.sort, (s) => s.paint);
      const sortBigDom = sortFigure(gestures.big.sort, (s) => s.dom);
      const perHeader = (f: ReturnType<typeof sortFigure>) =>
        SORT_HEADERS.map((h) => `${h} ${round(f.per[h] ?? NaN, 0)} ms`).join(', ');
      const filterBig = m(gestures.big.filter.map((s) => s.afterDebounce));
      const filterSmall = m(gestures.small.filter.map((s) => s.afterDebounce));
      const filterByNameBig = m(gestures.big.filterByName.map((s) => s.afterDebounce));
      const filterByNameSmall = m(gestures.small.filterByName.map((s) => s.afterDebounce));
      const filterBigTotal = m(gestures.big.filter.map((s) => s.total));
      const filterSmallTotal = m(gestures.small.filter.map((s) => s.total));
      const debounce = m(gestures.big.filter.map((s) => s.debounce));
      ctx.details.dashboard = {
        repetitions: reps,
        build,
        runs,
        firstRowPaintMs: paint,
        allRowsMs: allRows,
        loadTimings: timings,
        gestures,
      };

      const buildNote = build.newerSources.length
        ? ` Measured build ${build.buildId} (${build.builtAt}); ${build.newerSources.length} source file(s) were edited after it and are not in these figures.`
        : '';
      const diff = (a: number | null, b: number | null) => (a === null || b === null ? Number.NaN : a - b);
      const tm = (which: 'big' | 'small', pick: (t: LoadTiming) => number | null) =>
        median(timings[which].map((t) => pick(t) ?? Number.NaN));
      const rowsRequestNote = Number.isNaN(tm('big', (t) => t.rowsRequestStart))
        ? 'the browser made no rows request (the server prefetched them)'
        : `the rows request (runs.processes) starts at ${round(
            tm('big', (t) => t.rowsRequestStart),
            0,
          )} ms, ` +
          `first byte after ${round(
            tm('big', (t) => diff(t.rowsResponseStart, t.rowsRequestStart)),
            0,
          )} ms, ` +
          `complete after ${round(
            tm('big', (t) => diff(t.rowsResponseEnd, t.rowsRequestStart)),
            0,
          )} ms (${round(tm('big', (t) => t.rowsBytes) / KB, 0)} KB JSON, ` +
          `${round(tm('big', (t) => t.rowsTransferBytes) / KB, 0)} KB on the wire); rendering after it ${round(median(paint.big) - tm('big', (t) => t.rowsResponseEnd), 0)} ms`;
      const smallBase = (value: number) => ({ value, unit: 'ms', label: `${SMALL_ROWS}-row run` });
      return [
        line({
          bench: 'dashboard',
          name: 'Dashboard: first table paint, 10,000 rows',
          figure: { value: median(paint.big), unit: 'ms' },
          baseline: smallBase(median(paint.small)),
          target: { on: 'ratio', op: '<=', value: 1.5, label: '≤ 1.5× the 20-row run' },
          note:
            `navigation start → first data row painted; fresh browser context per load (empty HTTP cache), server warm; median of ${reps}. ` +
            `Of that: the HTML (a large run: its server-rendered first screen; a small run: all its rows) ends at ${round(
              tm('big', (t) => t.documentEnd),
              0,
            )} ms ` +
            `(${round(tm('big', (t) => t.documentBytes) / KB, 0)} KB; 20 rows: ${round(
              tm('small', (t) => t.documentEnd),
              0,
            )} ms, ` +
            `${round(tm('small', (t) => t.documentBytes) / KB, 0)} KB), DOMContentLoaded ${round(
              tm('big', (t) => t.domContentLoaded),
              0,
            )} ms ` +
            `(20 rows: ${round(
              tm('small', (t) => t.domContentLoaded),
              0,
            )} ms), first row in the DOM ${round(median(domMark.big), 0)} ms ` +
            `(20 rows: ${round(median(domMark.small), 0)} ms); ${rowsRequestNote}.${buildNote}`,
        }),
        line({
          bench: 'dashboard',
          name: 'Dashboard: whole run loaded, 10,000 rows',
          figure: { value: median(allRows.big), unit: 'ms' },
          baseline: smallBase(median(allRows.small)),
          target: null,
          note:
            'navigation start → the row count shows the whole run (until then a large run shows its server-rendered ' +
            'first screen and "Loading all N rows…", and a new sort or filter waits for the whole run); a run of at ' +
            'most one screen arrives whole in the HTML',
        }),
        line({
          bench: 'dashboard',
          name: 'Dashboard: sort latency, 10,000 rows',
          figure: { value: sortBig.worst, unit: 'ms' },
          baseline: smallBase(sortSmall.worst),
          target: { on: 'figure', op: '<', value: 100, label: '< 100 ms' },
          note:
            `click on a header → new first row painted; slower column's median of ${reps} clicks each: ${perHeader(sortBig)} ` +
            `(DOM updated: ${perHeader(sortBigDom)}; 20 rows: ${perHeader(sortSmall)})`,
        }),
        line({
          bench: 'dashboard',
          name: 'Dashboard: filter latency after debounce, 10,000 rows',
          figure: { value: filterBig, unit: 'ms' },
          baseline: smallBase(filterSmall),
          target: { on: 'figure', op: '<', value: 100, label: '< 100 ms' },
          note: `debounce EXCLUDED: from the debounced URL write to the painted row count; default order (Memory % desc); one input event per term (a paste); terms ${FILTER_TERMS.join(', ')}; median of ${reps}`,
        }),
        line({
          bench: 'dashboard',
          name: 'Dashboard: filter latency after debounce, sorted by Process, 10,000 rows',
          figure: { value: filterByNameBig, unit: 'ms' },
          baseline: smallBase(filterByNameSmall),
          target: { on: 'figure', op: '<', value: 100, label: '< 100 ms' },
          note: `as above, with the table sorted by the Process column (natural text order) instead of the default Memory %`,
        }),
        line({
          bench: 'dashboard',
          name: 'Dashboard: filter latency incl. debounce, 10,000 rows',
          figure: { value: filterBigTotal, unit: 'ms' },
          baseline: smallBase(filterSmallTotal),
          target: null,
          note: `debounce INCLUDED: input event → painted row count; measured debounce ${round(debounce, 0)} ms (configured 150 ms)`,
        }),
        jsLines(ctx, build.nextDir, observed),
        hostsJsLine(build.nextDir),
      ];
    } finally {
      await browser?.close().catch(() => undefined);
      await server?.stop();
      removeDir(dataDir);
      if (build) removeDir(build.projectDir);
    }
  },
};
