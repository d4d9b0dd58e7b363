import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import * as XLSX from 'xlsx';
import { startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';

/** Package integrity, heuristic badges and their filter, effective user, workbook fidelity, IOC lists. */

const shots = path.join('.test-artifacts', 'screenshots');
let tmpProc: KnownProcess;
let writable: KnownProcess;

test.beforeAll(() => {
  fs.mkdirSync(shots, { recursive: true });
  // Both run from a folder under /tmp and no package lists them; the second is writable by anyone.
  tmpProc = startKnownProcess('pltmp');
  writable = startKnownProcess('plww');
  fs.chmodSync(writable.exe, 0o777);
});
test.afterAll(() => {
  stopKnownProcess(tmpProc);
  stopKnownProcess(writable);
});

test('badges, integrity and the badge filter on a real run; workbook and IOC downloads', async ({ page, request }) => {
  // A collection and a workbook under a loaded machine; each step still waits on a visible state.
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByLabel('Minimum memory %').fill('0');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 60_000 });
  const runId = page.url().match(/\/runs\/(\d+)/)![1];
  for (const header of ['Effective user', 'Heuristics', 'Package', 'Integrity']) {
    await expect(page.getByRole('columnheader', { name: header, exact: true })).toBeVisible({ timeout: 60_000 });
  }

  const filter = page.getByLabel('Filter');
  await filter.fill(tmpProc.name);
  const tmpRow = page.getByRole('row').filter({ hasText: tmpProc.name });
  await expect(tmpRow).toHaveCount(1);
  await expect(tmpRow.getByText('runs from /tmp', { exact: true })).toBeVisible();
  await expect(tmpRow.getByText('not packaged', { exact: true })).toBeVisible();
  await expect(tmpRow.getByLabel(/^runs from \/tmp: The executable lives in \/tmp/)).toBeVisible();

  await filter.fill(writable.name);
  const wwRow = page.getByRole('row').filter({ hasText: writable.name });
  await expect(wwRow.getByLabel(/world-writable: Any user can overwrite/)).toBeVisible();

  // The dashboard's own server runs /usr/bin/node, which Debian's nodejs package ships unmodified.
  if (fs.existsSync('/var/lib/dpkg/info/nodejs.md5sums') && fs.realpathSync(process.execPath) === '/usr/bin/node') {
    await filter.fill('/usr/bin/node');
    const nodeRow = page.getByRole('row').filter({ hasText: 'nodejs' }).first();
    await expect(nodeRow.getByText('matches', { exact: true })).toBeVisible();
  }

  // The badge filter keeps only flagged rows and lives in the URL.
  await filter.fill('');
  const total = Number((await page.getByText(/^\d+ of \d+ rows$/).textContent())!.split(' of ')[1]!.split(' ')[0]);
  await page.getByLabel('Show').selectOption('temp-dir');
  await expect(page).toHaveURL(/flag=temp-dir/);
  await expect(page.getByRole('row').filter({ hasText: tmpProc.name })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: writable.name })).toHaveCount(1);
  const shown = Number((await page.getByText(/^\d+ of \d+ rows$/).textContent())!.split(' of ')[1]!.split(' ')[0]);
  expect(shown).toBeLessThan(total);
  await page.getByLabel('Show').selectOption('any');
  await page.reload();
  await expect(page.getByLabel('Show')).toHaveValue('any');
  // The README's picture: the flagged rows with the analysis columns in view.
  await page.goto(`/runs/${runId}?flag=any&cols=name,pid,user,euser,heuristics,exe,package,integrity,sha256`);
  await expect(page.getByRole('row').filter({ hasText: tmpProc.name })).toHaveCount(1, { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'analysis-badges.png') });

  // Workbook: the new columns, run times as date cells.
  const wbRes = await request.get(`/api/runs/${runId}/workbook`);
  expect(wbRes.ok()).toBe(true);
  const wb = XLSX.read(await wbRes.body(), { cellDates: true, cellNF: true });
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Processes!);
  const mine = rows.find((r) => r.PID === tmpProc.child.pid);
  expect(mine).toMatchObject({ Integrity: 'not packaged', Heuristics: 'runs from /tmp' });
  expect(mine!.Package).toBeUndefined();
  const runRows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Run!, { header: 1 });
  const started = runRows.findIndex((r) => r[0] === 'Started (UTC)');
  const cell = wb.Sheets.Run![XLSX.utils.encode_cell({ r: started, c: 1 })]!;
  expect(cell.v).toBeInstanceOf(Date);
  expect(cell.z).toBe('yyyy-mm-dd hh:mm:ss');

  // IOC lists answer even when nothing is malicious (no check ran): an empty list, the CSV's header.
  const txt = await request.get(`/api/runs/${runId}/iocs.txt`);
  expect(txt.status()).toBe(200);
  expect(txt.headers()['content-disposition']).toContain(`iocs_run-${runId}.txt`);
  expect(await txt.text()).toMatch(/^([0-9a-f]{64}\n)*$/);
  const csv = await request.get('/api/iocs.csv');
  expect(csv.status()).toBe(200);
  expect(
    (await csv.text()).startsWith(
      'SHA-256,MD5,SHA-1,VTScore,Detections,Threat label,Reason,Hosts,Names,VT link,Triage\r\n',
    ),
  ).toBe(true);
  expect((await request.get('/api/runs/abc/iocs.csv')).status()).toBe(400);
  expect((await request.get('/api/runs/999999/iocs.txt')).status()).toBe(404);
});
