import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import * as XLSX from 'xlsx';
import { eocdTrickWorkbook, hugeCellWorkbook, nulWorkbook, overlappingWorkbook } from '../tests/hostile-workbooks';
import { bigHonestWorkbook } from '../tests/large-workbooks';
import { OLD_MD5, oldScriptWorkbook, workbookFromRows } from '../tests/import-fixtures';
import { fakeVtControl } from './fake-vt/control';
import { removeVtKey, saveVtKey } from './helpers';
import { expect, test } from './fixtures';

/**
 * "Import workbook" as an analyst uses it in Chromium: a workbook ProcLens exported, and the older
 * script's two-column sheet, each uploaded from the dashboard, opened as a run and checked on the
 * fake VirusTotal; a wrong file gets a sentence and no run.
 */
const fake = () => fakeVtControl(process.env.PROCLENS_E2E_FAKE_VT_URL!);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KNOWN = {
  sha256: '5d0b1a0c3e8f7a6b9c2d4e1f0a3b5c7d9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b',
  sha1: '8f14e45fceea167a5a36dedd4bea2543a1b2c3d4',
  md5: OLD_MD5.known,
};
const shots = path.join('.test-artifacts', 'screenshots');
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

test.describe.configure({ mode: 'serial' });

async function upload(page: Page, name: string, buffer: Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import workbook' }).first().click();
  await (await chooser).setFiles({ name, mimeType: XLSX_TYPE, buffer });
}

async function runIdOf(page: Page): Promise<number> {
  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 60_000 });
  return Number(page.url().match(/\/runs\/(\d+)$/)![1]);
}

test.beforeAll(async () => {
  await fake().addReports({ ...KNOWN, malicious: 5, undetected: 60, label: 'trojan.import/test' });
});

test('a ProcLens workbook exported by the app comes back as an imported run with the same processes', async ({
  page,
}) => {
  page.on('dialog', () => {
    throw new Error('a dialog opened');
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  const source = await runIdOf(page);
  await expect(page.getByRole('link', { name: 'Download workbook' })).toBeVisible({ timeout: 60_000 });
  const exported = Buffer.from(await (await page.request.get(`/api/runs/${source}/workbook`)).body());
  const sourceRows = XLSX.utils.sheet_to_json(XLSX.read(exported).Sheets.Processes!);

  await page.goto('/');
  await upload(page, 'All_process_hash_real_time_offline.xlsx', exported);
  const imported = await runIdOf(page);
  expect(imported).toBeGreaterThan(source);
  await expect(page.getByText('Workbook import', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  const back = await page.request.get(`/api/runs/${imported}/run.json`);
  const doc = (await back.json()) as { processes: unknown[] };
  expect(doc.processes).toHaveLength(sourceRows.length);
});

test('the older name + MD5 sheet is imported from the run history and checked on VirusTotal by MD5', async ({
  page,
}) => {
  page.on('dialog', () => {
    throw new Error('a dialog opened');
  });
  await saveVtKey(page);

  const book = workbookFromRows([
    ['Hashes of running processes'],
    ['Name', 'Hash'],
    ['sshd', OLD_MD5.known],
    [HOSTILE_NAME, OLD_MD5.notFound],
    ['sshd', OLD_MD5.known],
  ]);
  await page.goto('/runs');
  await upload(page, 'All_process_hash_real_time_old.xlsx', book);
  const runId = await runIdOf(page);
  await expect(page.getByText('Workbook import', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  // The hostile name is text on the page, never markup.
  await expect(page.getByText(HOSTILE_NAME).first()).toBeVisible();

  const before = (await fake().stats()).requests;
  await page.getByRole('button', { name: 'Check on VirusTotal' }).click();
  await expect(page.getByText(/^2 of 2 hashes checked/)).toBeVisible({ timeout: 60_000 });
  const stats = await fake().stats();
  expect(stats.requests - before).toBe(2);
  expect(
    stats.log
      .slice(-2)
      .map((r) => r.asked)
      .sort(),
  ).toEqual([OLD_MD5.known, OLD_MD5.notFound].sort());

  await page.getByRole('tab', { name: /Executables/ }).click();
  const firstRow = page.getByRole('row').nth(1);
  await expect(firstRow).toContainText('Malicious');
  await expect(firstRow).toContainText(KNOWN.sha256.slice(0, 8));
  await page.getByRole('tab', { name: /Processes/ }).click();
  // The plan is asked afresh after the check: both hashes are cached now (the known one, and the
  // one VirusTotal does not know), nothing is left to look up.
  await expect(page.getByText(/^2 hashes, 2 cached, 0 to look up \(no request needed\)/)).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole('heading', { name: /^Run \d+/ }).scrollIntoViewIfNeeded();
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'import.png') });

  const txt = await (await page.request.get(`/api/runs/${runId}/vt-results.txt`)).text();
  expect(txt).toBe(
    ['sshd - malicious', `${HOSTILE_NAME} - The secure score is not found`, 'sshd - malicious', ''].join('\n'),
  );
});

test('a wrong file gets a sentence and no run', async ({ page }) => {
  await page.goto('/runs');
  const runsBefore = await page.request.get('/api/trpc/runs.latest');
  await upload(page, 'hashes.csv', Buffer.from('Process Name,MD5\nsshd,c4ca4238a0b923820dcc509a6f75849b\n'));
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(/This is a text file \(CSV\?\), not a workbook/);
  await expect(page).toHaveURL(/\/runs$/);
  await upload(page, 'All_process_hash_real_time_x.xlsx', oldScriptWorkbook().subarray(0, 400));
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(/damaged/);
  const runsAfter = await page.request.get('/api/trpc/runs.latest');
  expect(await runsAfter.text()).toBe(await runsBefore.text());
});

test('hostile uploads (issue #17) get their sentence and no run, and the server stays within its budget', async ({
  page,
}) => {
  // The server's own memory, from the kernel: its peak is reset before each upload (clear_refs).
  const lock = path.join(process.env.PROCLENS_E2E_DATA_DIR!, 'proclens.lock');
  const { pid } = JSON.parse(fs.readFileSync(lock, 'utf8')) as { pid: number };
  const kb = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  await page.goto('/runs');
  const runsBefore = await (await page.request.get('/api/trpc/runs.latest')).text();
  const cases: Array<[string, Buffer, RegExp]> = [
    ['trick.xlsx', eocdTrickWorkbook(), /it has data after the end of its zip directory/],
    ['huge-name.xlsx', hugeCellWorkbook(), /would expand to more than 48 MB/],
    ['nul.xlsx', nulWorkbook(), /^Row 2: Process must not contain a NUL character\. Nothing was imported\.$/],
    ['overlap.xlsx', overlappingWorkbook(), /its zip parts overlap/],
  ];
  for (const [name, bytes, sentence] of cases) {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const baseKb = kb('VmRSS');
    await upload(page, name, bytes);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(sentence, { timeout: 30_000 });
    // The budget tests/hostile-upload.test.ts asserts: 512 MB plus four times the upload.
    const peakMb = (kb('VmHWM') - baseKb) / 1024;
    test
      .info()
      .annotations.push({ type: 'server peak over baseline', description: `${name}: ${peakMb.toFixed(0)} MB` });
    expect(peakMb, name).toBeLessThan(512 + (4 * bytes.length) / 2 ** 20);
  }
  await expect(page).toHaveURL(/\/runs$/);
  expect(await (await page.request.get('/api/trpc/runs.latest')).text()).toBe(runsBefore);
  expect((await page.request.get('/api/health')).status()).toBe(200);
});

test('a workbook over 10 MB arrives whole (the proxy buffers up to the import limit) and is imported', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // 16,000 processes with long random paths: about 11 MB, inside every other budget.
  const book = bigHonestWorkbook(16_000, 700);
  expect(book.length).toBeGreaterThan(10 * 2 ** 20);
  await page.goto('/runs');
  await upload(page, 'All_process_hash_real_time_big.xlsx', book);
  const runId = await runIdOf(page);
  const doc = (await (await page.request.get(`/api/runs/${runId}/run.json`)).json()) as { processes: unknown[] };
  expect(doc.processes).toHaveLength(16_000);
});

// Later specs start from "no key": leave the server as this spec found it.
test.afterAll(({ browser }) => removeVtKey(browser));
