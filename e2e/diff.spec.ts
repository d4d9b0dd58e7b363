import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '../tests/csv';
import { expect, test } from './fixtures';
import { baseUrl, startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';
import { trpc } from './server-process';

/**
 * Run diff on real collections of this machine: a process started between two runs is new, one
 * stopped is gone, and a binary rewritten at the same path is a changed hash (old → new).
 */
const shots = path.join('.test-artifacts', 'screenshots');
const sha256Of = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let dir: string;
let fixedExe: string;
let fixed: ChildProcess | undefined;
let gone: KnownProcess | undefined;
let fresh: KnownProcess | undefined;

/** Writes a copy of sleep (plus `extra` bytes, still a valid program) to `file` via a rename: a new inode. */
function writeSleep(file: string, extra: string) {
  const tmp = `${file}.new`;
  fs.writeFileSync(tmp, Buffer.concat([fs.readFileSync('/bin/sleep'), Buffer.from(extra)]));
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, file);
}

async function collect(): Promise<number> {
  const { runId } = await trpc<{ runId: number }>(baseUrl(), 'runs.collect', { minMemoryPercent: 0 }, 'POST');
  await expect
    .poll(async () => (await trpc<{ status: string }>(baseUrl(), 'runs.byId', { runId })).status, { timeout: 90_000 })
    .toBe('completed');
  return runId;
}

test.beforeAll(() => {
  fs.mkdirSync(shots, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-e2e-diff-'));
  fixedExe = path.join(dir, `pldfix${crypto.randomBytes(3).toString('hex')}`);
  writeSleep(fixedExe, '');
  fixed = spawn(fixedExe, ['600'], { stdio: 'ignore' });
  gone = startKnownProcess('pldgone');
});
test.afterAll(() => {
  fixed?.kill('SIGKILL');
  stopKnownProcess(gone);
  stopKnownProcess(fresh);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a process started between two runs is new, a stopped one gone, a rewritten binary changed; CSV download', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const oldSha = sha256Of(fixedExe);
  const first = await collect();

  const stopped = gone!;
  // Between the runs: one process stops, one starts from a new copy, one binary is replaced in place.
  stopKnownProcess(gone);
  fixed!.kill('SIGKILL');
  writeSleep(fixedExe, 'proclens-e2e-patched');
  const newSha = sha256Of(fixedExe);
  expect(newSha).not.toBe(oldSha);
  fixed = spawn(fixedExe, ['600'], { stdio: 'ignore' });
  fresh = startKnownProcess('pldnew');
  const second = await collect();

  await page.goto(`/runs/${second}?view=diff`);
  await expect(page.getByRole('tab', { name: 'Diff' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(`Run ${second} compared with`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('link', { name: `run ${first}` })).toBeVisible();
  await expect(page.getByText('(the previous completed run of this host)')).toBeVisible();

  const filter = page.getByLabel('Filter');
  const table = page.getByRole('table', { name: 'Diff' });
  await filter.fill(fresh.exe);
  // Rows are told apart by their process (a copy's path also shows under "Same content at").
  const newRow = table.getByRole('row').filter({ hasText: `${fresh.name} (${fresh.child.pid})` });
  await expect(newRow).toHaveCount(1);
  await expect(newRow.getByText('New', { exact: true })).toBeVisible();
  await expect(newRow.getByText('runs from /tmp', { exact: true })).toBeVisible();
  await expect(newRow.getByText('not packaged', { exact: true })).toBeVisible();
  await expect(newRow.getByText(fresh.sha256)).toBeVisible();

  await filter.fill(fixedExe);
  const changedRow = table.getByRole('row').filter({ hasText: `${path.basename(fixedExe)} (${fixed.pid})` });
  await expect(changedRow).toHaveCount(1);
  await expect(changedRow.getByText('Changed hash', { exact: true })).toBeVisible();
  await expect(changedRow.getByText(oldSha)).toBeVisible();
  await expect(changedRow.getByText(newSha)).toBeVisible();

  await filter.fill(stopped.exe);
  const goneRow = table.getByRole('row').filter({ hasText: `${stopped.name} (${stopped.child.pid})` });
  await expect(goneRow).toHaveCount(1);
  await expect(goneRow.getByText('Gone', { exact: true })).toBeVisible();

  // The kind chips narrow the table and live in the URL.
  await filter.fill('');
  await page.getByRole('button', { name: /^New \d+$/ }).click();
  await expect(page).toHaveURL(/dkind=new/);
  await expect(table.getByText('Gone', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: /^All changes \d+$/ }).click();

  // Pin the first run as the host's baseline, from its own page; compare the second with it.
  await page.goto(`/runs/${first}?view=diff`);
  await page.getByRole('button', { name: 'Pin as baseline' }).click();
  await expect(page.getByRole('button', { name: 'Unpin baseline' })).toBeVisible();
  await page.goto(`/runs/${second}?view=diff&against=baseline`);
  await expect(page.getByText("(this host's pinned baseline)")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Compare with')).toHaveValue('baseline');
  await expect(page.getByText(new RegExp(`Baseline: run ${first}, pinned .* by local`))).toBeVisible();

  // Any run by id.
  await page.getByLabel('Any run id').fill(String(first));
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`against=${first}`));
  await expect(page.getByText('(chosen by id)')).toBeVisible();

  // The CSV through the page's link, parsed.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Diff (.csv)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`proclens-run-${second}-diff-vs-run-${first}.csv`);
  const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
  const header = csv[0]!;
  const at = (row: string[], name: string) => row[header.indexOf(name)];
  const byPath = (p: string) => csv.filter((r) => at(r, 'Path') === p);
  expect(byPath(fresh.exe).map((r) => at(r, 'Change'))).toEqual(['New']);
  expect(at(byPath(fresh.exe)[0]!, 'PIDs')).toBe(String(fresh.child.pid));
  expect(at(byPath(fresh.exe)[0]!, 'Heuristics')).toContain('runs from /tmp');
  expect(byPath(fixedExe).map((r) => [at(r, 'Change'), at(r, 'Previous SHA-256'), at(r, 'SHA-256')])).toEqual([
    ['Changed hash', oldSha, newSha],
  ]);
  expect(byPath(stopped.exe).map((r) => at(r, 'Change'))).toEqual(['Gone']);
  expect(
    csv.slice(1).every((r) => at(r, 'Run') === String(second) && at(r, 'Compared with run') === String(first)),
  ).toBe(true);

  // The summary as text, and the sentences of the download route.
  const txt = await page.request.get(`/api/runs/${second}/diff.txt?against=${first}`);
  expect(txt.status()).toBe(200);
  expect(await txt.text()).toMatch(/^ProcLens run diff\n/);
  const bad = await page.request.get(`/api/runs/${second}/diff.csv?against=latest`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/against must be/);
  expect((await page.request.get(`/api/runs/${second}/diff.csv?against=${second}`)).status()).toBe(400);
  expect((await page.request.get('/api/runs/999999/diff.csv')).status()).toBe(404);

  // Unpin again (the baseline is shared state of this host).
  await page.goto(`/runs/${first}?view=diff`);
  await page.getByRole('button', { name: 'Unpin baseline' }).click();
  await expect(page.getByRole('button', { name: 'Pin as baseline' })).toBeVisible();

  // The README's picture: the differences with the badges and both hashes in view.
  await page.setViewportSize({ width: 1440, height: 820 });
  await page.goto(`/runs/${second}?view=diff&against=${first}&q=%2Ftmp%2Fproclens-e2e`);
  await expect(table.getByRole('row').filter({ hasText: `${fresh.name} (${fresh.child.pid})` })).toHaveCount(1, {
    timeout: 60_000,
  });
  await page.screenshot({ path: path.join(shots, 'diff.png') });
});
