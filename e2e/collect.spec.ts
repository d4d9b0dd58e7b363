import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import * as XLSX from 'xlsx';
import { e2eDataDir, startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';

const WORKBOOK_NAME = /^All_process_hash_real_time_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.xlsx$/;
const shots = path.join('.test-artifacts', 'screenshots');

let known: KnownProcess;
test.beforeAll(() => {
  known = startKnownProcess();
  fs.mkdirSync(shots, { recursive: true });
});
test.afterAll(() => stopKnownProcess(known));

test('collect, see the known process with its hashes, sort, filter, history, download the workbook', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.getByLabel('Minimum memory %').fill('0');
  await page.getByRole('button', { name: 'Collect processes' }).click();

  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 30_000 }); // the run page renders on the server before the URL changes
  const runId = page.url().match(/\/runs\/(\d+)/)![1];
  for (const header of ['Process', 'PID', 'User', 'Memory %', 'Executable', 'MD5', 'SHA-1', 'SHA-256']) {
    await expect(page.getByRole('columnheader', { name: header, exact: true })).toBeVisible({ timeout: 60_000 });
  }

  // Filter down to the process this test started; its hashes match coreutils.
  await page.getByLabel('Filter').fill(known.name);
  const row = page.getByRole('row').filter({ hasText: known.name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(String(known.child.pid));
  await expect(row.getByTitle(known.md5)).toBeVisible();
  await expect(row.getByTitle(known.sha256)).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'run-filtered.png'), fullPage: true });

  // Sorting by PID flips aria-sort on the header.
  await page.getByLabel('Filter').fill('');
  const pidHeader = page.getByRole('columnheader', { name: 'PID', exact: true });
  await pidHeader.getByRole('button').click();
  await expect(pidHeader).toHaveAttribute('aria-sort', /ascending|descending/);
  const first = await pidHeader.getAttribute('aria-sort');
  await pidHeader.getByRole('button').click();
  await expect(pidHeader).not.toHaveAttribute('aria-sort', first!);
  await page.screenshot({ path: path.join(shots, 'run-page.png') });

  // Workbook: name, sheets, headers, the known row.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download workbook' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(WORKBOOK_NAME);
  const file = path.join('.test-artifacts', download.suggestedFilename());
  await download.saveAs(file);
  const wb = XLSX.read(fs.readFileSync(file));
  expect(wb.SheetNames).toEqual(['Processes', 'Run']);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Processes!, { header: 1 });
  expect(rows[0]!.slice(0, 8)).toEqual(['Process', 'PID', 'User', 'Memory %', 'Executable', 'MD5', 'SHA-1', 'SHA-256']);
  const mine = rows.find((r) => r[1] === known.child.pid);
  expect(mine).toBeDefined();
  expect(mine!.slice(0, 8)).toEqual([
    known.name,
    known.child.pid,
    expect.any(String),
    expect.any(Number),
    known.exe,
    known.md5,
    known.sha1,
    known.sha256,
  ]);

  // History lists the run.
  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await expect(page.getByRole('link', { name: `Run ${runId}`, exact: true })).toBeVisible();
});

test('every readable process in the workbook hashes like md5sum of /proc/PID/exe', async ({ request }) => {
  const runs = await request.get('/api/trpc/runs.latest');
  expect(runs.ok()).toBe(true);
  const latest = (await runs.json()).result.data.json as { id: number };
  const res = await request.get(`/api/runs/${latest.id}/workbook`);
  expect(res.ok()).toBe(true);
  const wb = XLSX.read(await res.body());
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Processes!);
  let checked = 0;
  for (const r of rows) {
    if (typeof r.MD5 !== 'string' || r['Exe status'] !== 'ok') continue;
    let actual: string;
    let exeNow: string;
    try {
      actual = execFileSync('md5sum', [`/proc/${r.PID}/exe`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).split(' ')[0]!;
      exeNow = fs.readlinkSync(`/proc/${r.PID}/exe`);
    } catch {
      continue; // exited since the run (or between the two reads), or not readable by this user
    }
    // A process may have exited and its PID been reused by another program since the run.
    if (exeNow !== r.Executable) continue;
    expect(actual, `pid ${r.PID} ${r.Executable}`).toBe(r.MD5);
    checked++;
  }
  expect(checked).toBeGreaterThan(3);
});

test('bad input gets a clear message and starts nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Minimum memory %').fill('abc');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a number from 0 to 100.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Collect processes' })).toBeDisabled();
});

test('unknown and malformed run ids answer 404/400, never 500', async ({ page, request }) => {
  expect((await request.get('/api/runs/999999/workbook')).status()).toBe(404);
  const pathLike = (await request.get('/api/runs/..%2F..%2Fetc/workbook')).status();
  expect(pathLike).toBeGreaterThanOrEqual(400);
  expect(pathLike).toBeLessThan(500);
  expect((await request.get('/api/runs/abc/workbook')).status()).toBe(400);
  await page.goto('/runs/999999');
  await expect(page.getByText(/not found/i).first()).toBeVisible();
});

test('the CLI hands its run to the running server and the dashboard shows it', async ({ page }) => {
  const out = execFileSync(process.execPath, ['bin/proclens.mjs', 'collect', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: e2eDataDir() },
    maxBuffer: 64 * 1024 * 1024,
  });
  const doc = JSON.parse(out) as {
    run: { id: number; host: string };
    processes: Array<{ pid: number; md5: string | null }>;
  };
  expect(doc.run.id).toBeGreaterThan(0);
  expect(doc.processes.length).toBeGreaterThan(5);
  expect(doc.processes.find((p) => p.pid === known.child.pid)?.md5).toBe(known.md5);
  await page.goto('/runs');
  await expect(page.getByRole('link', { name: `Run ${doc.run.id}`, exact: true })).toBeVisible();
});
