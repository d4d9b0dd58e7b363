import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import * as XLSX from 'xlsx';
import { E2E_VT_KEY } from '../playwright.config';
import { fakeVtControl } from './fake-vt/control';
import { saveVtKey, startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';

/**
 * The whole VirusTotal path as an analyst walks it: no key → Settings → collect → check → the
 * EICAR-shaped hash on top → downloads. The fake VirusTotal (started by playwright.config.ts)
 * counts requests, so "re-check makes zero requests" is its word.
 */
const fake = () => fakeVtControl(process.env.PROCLENS_E2E_FAKE_VT_URL!);
const LINE = /^.+ - (malicious|Not malicious|The secure score is not found)$/;
const shots = path.join('.test-artifacts', 'screenshots');

let known: KnownProcess;
const seen: string[] = []; // every page body and API response text, scanned for the key at the end

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // A private, EICAR-shaped executable: its own hash, which the fake reports like EICAR.
  known = startKnownProcess('pleicar', (file) => fs.appendFileSync(file, crypto.randomBytes(64)));
  await fake().addReports({
    sha256: known.sha256,
    md5: known.md5,
    sha1: known.sha1,
    malicious: 66,
    undetected: 5,
    typeUnsupported: 7,
    label: 'virus.eicar/test',
  });
  fs.mkdirSync(shots, { recursive: true });
});
test.afterAll(() => stopKnownProcess(known));

function record(page: Page) {
  page.on('response', async (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (!/json|html|text|javascript/.test(type)) return;
    seen.push(await res.text().catch(() => ''));
  });
}

async function collectRun(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 30_000 }); // the run page renders on the server before the URL changes
  await expect(page.getByRole('link', { name: 'Download workbook' })).toBeVisible({ timeout: 60_000 });
  return page.url().match(/\/runs\/(\d+)/)![1]!;
}

test('without a key the run explains how to add one, and collection still works', async ({ page }) => {
  record(page);
  await collectRun(page);
  await expect(page.getByText('Add a VirusTotal API key on the')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check on VirusTotal' })).toBeDisabled();
  await page.getByRole('main').getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings/);
});

test('the key is saved on Settings and only its last four characters come back', async ({ page }) => {
  record(page);
  await saveVtKey(page);
  await expect(page.getByLabel('VirusTotal API key')).toHaveValue('');
  await page.reload();
  await expect(page.getByText(`••••${E2E_VT_KEY.slice(-4)}`).first()).toBeVisible();
  seen.push(await page.content());
});

test('check a run: progress, VTScore sorted descending with the EICAR-shaped hash on top, txt and workbook', async ({
  page,
}) => {
  record(page);
  const runId = await collectRun(page);
  const before = (await fake().stats()).requests;
  // The quota planner says what the check will cost before it starts.
  await expect(
    page.getByText(/^\d+ hash(es)?, \d+ cached, \d+ to look up .*, \d+ of today's quota left\.$/),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'check-plan.png'), clip: { x: 0, y: 190, width: 1280, height: 240 } });
  await page.getByRole('button', { name: 'Check on VirusTotal' }).click();
  await expect(page.getByText(/^(\d+) of \1 hashes checked/)).toBeVisible({ timeout: 60_000 });
  const stats = await fake().stats();
  const distinct = Number((await page.getByText(/^(\d+) of \1 hashes checked/).textContent())!.match(/^(\d+)/)![1]);
  expect(stats.requests - before).toBeLessThanOrEqual(distinct);
  expect(stats.log.filter((r) => r.status === 429)).toHaveLength(0);

  await page.getByRole('tab', { name: /Executables/ }).click();
  const firstRow = page.getByRole('row').nth(1);
  await expect(firstRow).toContainText('66');
  await expect(firstRow).toContainText('Malicious');
  await expect(firstRow).toContainText('66/78');
  await expect(firstRow).toContainText('virus.eicar/test');
  await page.screenshot({ path: path.join(shots, 'hash-view.png') });

  await page.getByRole('tab', { name: /Processes/ }).click();
  await expect(page.getByRole('columnheader', { name: 'VTScore' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Verdict' })).toBeVisible();
  await page.getByLabel('Filter').fill(known.name);
  await expect(page.getByRole('row').filter({ hasText: known.name })).toContainText('Malicious');

  // vt_results.txt: the seed's lines, one per process, the known one malicious.
  const txtDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download results (.txt)' }).click();
  const dl = await txtDownload;
  expect(dl.suggestedFilename()).toBe('vt_results.txt');
  const txt = fs.readFileSync((await dl.path())!, 'utf8');
  seen.push(txt);
  const lines = txt.split('\n');
  const mainLines = lines.slice(0, lines.indexOf(''));
  expect(mainLines.length).toBeGreaterThan(3);
  for (const l of mainLines) expect(l).toMatch(LINE);
  expect(mainLines).toContain(`${known.name} - malicious`);
  for (const l of lines.slice(lines.indexOf('') + 1)) if (l) expect(l.startsWith('# ')).toBe(true);

  // The workbook carries the verdicts.
  const wbRes = await page.request.get(`/api/runs/${runId}/workbook`);
  const wb = XLSX.read(await wbRes.body());
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Processes!);
  const mine = rows.find((r) => r.PID === known.child.pid)!;
  expect(mine).toMatchObject({
    VTScore: 66,
    Verdict: 'Malicious',
    'VT link': `https://www.virustotal.com/gui/file/${known.sha256}`,
  });
  expect(wb.SheetNames).toContain('Hashes');
  seen.push(JSON.stringify(rows));
  // The VT link is a hyperlink cell.
  const linkCell = Object.values(wb.Sheets.Processes!).find(
    (c) => (c as XLSX.CellObject)?.v === `https://www.virustotal.com/gui/file/${known.sha256}`,
  ) as XLSX.CellObject | undefined;
  expect(linkCell?.l?.Target).toBe(`https://www.virustotal.com/gui/file/${known.sha256}`);

  // IOC lists, per run and for all hosts, carry the malicious hash.
  const iocTxt = await (await page.request.get(`/api/runs/${runId}/iocs.txt`)).text();
  expect(iocTxt.split('\n')).toContain(known.sha256);
  const fleetCsv = await (await page.request.get('/api/iocs.csv')).text();
  expect(fleetCsv).toContain(
    `${known.sha256},${known.md5},${known.sha1},66,66/78,virus.eicar/test,virustotal-malicious,`,
  );
  seen.push(iocTxt, fleetCsv);

  // Everything is cached now: checking again asks VirusTotal nothing.
  const cachedBefore = (await fake().stats()).requests;
  const again = await page.request.post('/api/trpc/vt.check', { data: { json: { runId: Number(runId) } } });
  expect(again.ok()).toBe(true);
  expect((await again.json()).result.data.json.uncached).toBe(0);
  expect((await fake().stats()).requests).toBe(cachedBefore);
});

test('the key never reaches a page, a response or a download', async () => {
  expect(seen.length).toBeGreaterThan(10);
  for (const text of seen) expect(text).not.toContain(E2E_VT_KEY);
});
