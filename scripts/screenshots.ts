/**
 * Remakes the README's screenshots (docs/screenshot-*.png) against a real run of this machine:
 * `node --import tsx scripts/screenshots.ts` (after `next build`; scripts/start.mjs builds when the
 * build is stale). It starts the fake VirusTotal (e2e/fake-vt) and the dashboard on free ports with
 * a throwaway data folder, runs two private /tmp copies of `sleep` (one that the fake calls
 * malicious, one world-writable), collects, checks, and shoots each section in the light theme
 * (the charts in both themes) with headless Chromium.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from '@playwright/test';
import { createFakeVt } from '../e2e/fake-vt/server';
import { startKnownProcess, stopKnownProcess } from '../e2e/helpers';
import { accessCookie, freePort } from '../e2e/server-process';
import { chromiumPath } from './test/system-deps.mjs';

const DOCS = path.resolve('docs');
const KEY = 'screenshot-key-0123456789abcdef';

async function waitFor(url: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

async function saveRate(page: Page, base: string, perMinute: string): Promise<void> {
  await page.goto(`${base}/settings`);
  await page.getByLabel('Requests per minute').fill(perMinute);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
}

async function shot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: path.join(DOCS, name) });
  console.log(`wrote docs/${name}`);
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-shots-'));
  const bad = startKnownProcess('plmal', (f) => fs.appendFileSync(f, crypto.randomBytes(64)));
  const odd = startKnownProcess('plwrite', (f) => fs.appendFileSync(f, crypto.randomBytes(64)));
  fs.chmodSync(odd.exe, 0o777);
  const tail = spawn('/usr/bin/tail', ['-f', '/dev/null'], { stdio: 'ignore' });
  const fake = await createFakeVt({ apiKey: KEY, perMinute: 0, perDay: 0 });
  fake.addReport({
    sha256: bad.sha256,
    md5: bad.md5,
    sha1: bad.sha1,
    malicious: 41,
    undetected: 20,
    label: 'trojan.linux/miner',
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['scripts/start.mjs'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: '',
      VT_BASE_URL: fake.url,
      VT_API_KEY: KEY,
      VT_REQUESTS_PER_MINUTE: '600',
    },
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await waitFor(`${base}/api/health`, 180_000);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The cookie the printed access link sets (local mode answers only to its holder).
    await page.context().addCookies([accessCookie(base, dataDir)]);

    // Collect a run; before the check: the quota planner (item 6).
    await page.goto(`${base}/`);
    await page.getByLabel('Minimum memory %').fill('0');
    await page.getByRole('button', { name: 'Collect processes' }).click();
    await page.waitForURL(/\/runs\/\d+/, { timeout: 60_000 });
    const runId = page.url().match(/\/runs\/(\d+)/)![1]!;
    const check = page.getByRole('button', { name: 'Check on VirusTotal' });
    await check.waitFor({ timeout: 60_000 });
    const vtPanel = page
      .locator('div.rounded-lg')
      .filter({ hasText: /^VirusTotal/, has: check })
      .first();
    await page
      .getByText(/to look up/)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(vtPanel, 'screenshot-quota-planner.png');

    // The lookup order (item 9): one request a minute keeps the queue in view.
    await saveRate(page, base, '1');
    await page.goto(`${base}/runs/${runId}`);
    await check.click();
    const summary = page.getByText(/^Lookup order \(\d+ waiting\)/);
    await summary.waitFor({ timeout: 30_000 });
    const list = page.getByRole('list', { name: 'Lookup order' });
    if (!(await list.isVisible())) await summary.click();
    await shot(page.locator('details').filter({ has: list }), 'screenshot-lookup-order.png');
    await saveRate(page, base, '600');
    await page.goto(`${base}/runs/${runId}`);
    await page.getByText('Checked', { exact: true }).waitFor({ timeout: 180_000 });

    // Exports (item 7): the run header's downloads, IOC lists included.
    await page.reload();
    await page.getByRole('link', { name: 'Download workbook' }).waitFor();
    await shot(
      page
        .locator('div.rounded-lg')
        .filter({ hasText: /^Run \d+/ })
        .first(),
      'screenshot-exports.png',
    );

    // Charts (item 8), light and dark.
    const charts = page.locator('details').filter({ has: page.getByRole('heading', { name: 'Charts' }) });
    await charts.locator('.recharts-bar-rectangle').first().waitFor({ timeout: 30_000 });
    await shot(charts, 'screenshot-charts.png');
    await page.evaluate(() => document.documentElement.classList.add('dark'));
    await shot(charts, 'screenshot-charts-dark.png');
    await page.evaluate(() => document.documentElement.classList.remove('dark'));

    // Package integrity (item 3) and heuristics (item 4): the analysis columns.
    await page.goto(`${base}/runs/${runId}?q=%2Fusr%2Fbin%2F&cols=name,pid,user,exe,package,integrity,sha256`);
    await page.getByRole('columnheader', { name: 'Integrity', exact: true }).waitFor({ timeout: 30_000 });
    // The table, not the charts above it: fold them (a native <details>).
    await page.locator('summary', { hasText: 'Charts' }).click();
    await shot(page, 'screenshot-integrity.png');
    await page.goto(`${base}/runs/${runId}?flag=any&cols=name,pid,user,euser,heuristics,exe,package,integrity,sha256`);
    await page.getByRole('row').filter({ hasText: odd.name }).waitFor({ timeout: 30_000 });
    await page.locator('summary', { hasText: 'Charts' }).click();
    await shot(page, 'screenshot-analysis.png');

    // The fleet chart on Hosts.
    await page.goto(`${base}/hosts`);
    const fleet = page.getByRole('img', { name: /^New vs known executables/ });
    await fleet.locator('.recharts-bar-rectangle').first().waitFor({ timeout: 30_000 });
    await shot(page.locator('figure').filter({ has: fleet }), 'screenshot-fleet-chart.png');
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await fake.close();
    stopKnownProcess(bad);
    stopKnownProcess(odd);
    tail.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
