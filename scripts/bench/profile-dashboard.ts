/**
 * A CPU profile of the run page's filter and sort gestures on the bench's 10,000-row run:
 *
 *   node --conditions=react-server --import tsx scripts/bench/profile-dashboard.ts [filter|sort|load]
 *
 * Serves the current build like the dashboard bench, records the page's main thread with the
 * DevTools protocol's sampling profiler around the gestures, and prints where the time went (self
 * time by function, and by script). The raw profile is written to dashboard.cpuprofile (open it in
 * Chromium's DevTools, Performance panel) in the system's temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { removeDir, tempDir } from './cleanup';
import { filterSamples, hydrated, idle, load, sortSamples } from './dashboard-browser';
import { seedDashboardRuns } from './dashboard';
import { snapshotBuild, startProductionServer, type RunningServer } from './dashboard-server';
import { median, round } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const [id, ms] of self) {
    const f = (byId.get(id) as ProfileNode).callFrame;
    const script = f.url ? path.basename(f.url) : '(native)';
    const key = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
  }
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `${round(ms, 1).toString().padStart(8)} ms  ${k}`)
      .join('\n');
  return `self time by function:\n${fmt(byFn)}\n\nself time by script:\n${fmt(byScript)}`;
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  ts: number;
  args?: { data?: { frame?: string } };
}

/** Main-thread time by event name (durations of complete events; nested events counted inside their parents too). */
function summarizeTrace(events: TraceEvent[]): string {
  const main = events.find(
    (e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain',
  );
  const on = events.filter(
    (e) => e.ph === 'X' && typeof e.dur === 'number' && (!main || (e.tid === main.tid && e.pid === main.pid)),
  );
  const by = new Map<string, { ms: number; n: number }>();
  for (const e of on) {
    const v = by.get(e.name) ?? { ms: 0, n: 0 };
    v.ms += (e.dur as number) / 1000;
    v.n += 1;
    by.set(e.name, v);
  }
  return [...by]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 30)
    .map(([k, v]) => `${round(v.ms, 1).toString().padStart(8)} ms ${String(v.n).padStart(6)}×  ${k}`)
    .join('\n');
}

async function main() {
  const what = process.argv[2] ?? 'filter';
  const dataDir = tempDir('proclens-profile-dash-');
  const build = await snapshotBuild((m) => console.error(m));
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  try {
    const runs = await seedDashboardRuns(dataDir);
    server = await startProductionServer(build.projectDir, dataDir);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    const url = `${server.url}/runs/${runs.big}`;
    await (await load(browser, url, server.cookie)).close();
    const l = await load(browser, url, server.cookie);
    console.log(
      `load: first row paint ${round(l.marks.firstRowPaint ?? NaN, 0)} ms, all rows ${round(l.marks.allRows ?? NaN, 0)} ms`,
    );
    console.log(`rows request: ${JSON.stringify(l.timing)}`);
    await hydrated(l.page);
    await idle(l.page);
    if (process.argv[3] === 'trace') {
      await browser.startTracing(l.page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
      const f = await filterSamples(l.page, 3);
      console.log(`filter after debounce ms: ${f.map((x) => round(x.afterDebounce, 0)).join(', ')}`);
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      console.log(summarizeTrace(trace.traceEvents));
      await l.close();
      return;
    }
    const cdp = await l.page.context().newCDPSession(l.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    if (what === 'sort') {
      const s = await sortSamples(l.page, 4);
      console.log(`sort paint ms: ${s.map((x) => `${x.header} ${round(x.paint, 0)}`).join(', ')}`);
    } else {
      const f = await filterSamples(l.page, 5);
      console.log(
        `filter after debounce ms: ${f.map((x) => round(x.afterDebounce, 0)).join(', ')} (median ${round(median(f.map((x) => x.afterDebounce)), 0)})`,
      );
    }
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const out = path.join(os.tmpdir(), 'dashboard.cpuprofile');
    fs.writeFileSync(out, JSON.stringify(profile));
    console.log(summarize(profile));
    console.log(`\nprofile: ${out}`);
    await l.close();
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    removeDir(dataDir);
    removeDir(build.projectDir);
  }
}

await main();
