import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fakeVtControl } from './fake-vt/control';
import { removeVtKey, saveVtKey, startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';

/**
 * Triage as an analyst walks it: check a run with the fake VirusTotal giving scores, narrow to
 * "Untriaged with VTScore ≥ 1", decide two hashes, see the IOC lists follow, then open another run
 * of the same executables: the decisions are there, and changing one keeps the earlier one in view.
 */
const shots = path.join('.test-artifacts', 'screenshots');
const fake = () => fakeVtControl(process.env.PROCLENS_E2E_FAKE_VT_URL!);
let flagged: KnownProcess; // VTScore 5: VirusTotal calls it malicious (threshold 2)
let low: KnownProcess; // VTScore 1: needs research

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const unique = (file: string) => fs.appendFileSync(file, crypto.randomBytes(64));
  flagged = startKnownProcess('pltriflag', unique);
  low = startKnownProcess('pltrilow', unique);
  for (const [p, malicious] of [
    [flagged, 5],
    [low, 1],
  ] as const) {
    await fake().addReports({ sha256: p.sha256, md5: p.md5, sha1: p.sha1, malicious, undetected: 60 });
  }
});
test.afterAll(async ({ browser }) => {
  stopKnownProcess(flagged);
  stopKnownProcess(low);
  // Later specs start from "no key": leave the server as this spec found it.
  await removeVtKey(browser);
});

async function collectRun(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'Download workbook' })).toBeVisible({ timeout: 60_000 });
  return page.url().match(/\/runs\/(\d+)/)![1]!;
}

const rowOf = (page: Page, p: KnownProcess) =>
  page.getByRole('table', { name: 'Executables' }).getByRole('row').filter({ hasText: p.name });

test('triage on one run follows the hash to another run; the filter and the IOC lists follow the decisions', async ({
  page,
}) => {
  // One analyst's whole walk: two collections and a check on a shared, loaded machine.
  test.setTimeout(300_000);
  await saveVtKey(page);

  const first = await collectRun(page);
  await page.getByRole('button', { name: 'Check on VirusTotal' }).click();
  await expect(page.getByText(/^(\d+) of \1 hashes checked/)).toBeVisible({ timeout: 180_000 });
  await page.getByRole('tab', { name: /Executables/ }).click();
  await expect(page.getByRole('columnheader', { name: 'Triage' })).toBeVisible();

  // The filter: only rows some engine flags and nobody has decided; the URL holds it.
  await page.getByRole('button', { name: /^Untriaged with VTScore ≥ 1/ }).click();
  await expect(page).toHaveURL(/[?&]triage=untriaged/);
  await expect(rowOf(page, flagged)).toContainText('Malicious');
  await expect(rowOf(page, low)).toContainText('Needs research');
  const table = page.getByRole('table', { name: 'Executables' });
  const scores = await table
    .getByRole('row')
    .evaluateAll((rows) => rows.slice(1).map((r) => Number(r.querySelectorAll('td')[1]?.textContent)));
  expect(scores.length).toBeGreaterThanOrEqual(2);
  for (const s of scores) expect(s).toBeGreaterThanOrEqual(1);

  // Decide the malicious-by-VirusTotal one is a false positive, with a note kept as typed.
  const note = 'Lab build <b>not</b> malware\nticket #42';
  await rowOf(page, flagged).getByRole('button', { name: 'Triage' }).click();
  const dialog = page.getByRole('dialog', { name: 'Triage' });
  await expect(dialog).toContainText(flagged.sha256);
  await expect(dialog).toContainText('None yet.');
  await dialog.getByRole('radio', { name: /^False positive/ }).check();
  await dialog.getByLabel('Note').fill(note);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  // Decided, so the filter drops it; the low one is still waiting.
  await expect(rowOf(page, flagged)).toHaveCount(0);
  await expect(rowOf(page, low)).toBeVisible();

  // The keyboard alone: Enter opens the dialog, arrows pick, Tab reaches Save.
  await rowOf(page, low).getByRole('button', { name: 'Triage' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: /^Confirmed malicious/ }).focus();
  await page.keyboard.press('Space');
  await expect(dialog.getByRole('radio', { name: /^Confirmed malicious/ })).toBeChecked();
  await dialog.getByRole('button', { name: 'Save' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(rowOf(page, low)).toHaveCount(0);

  // Without the filter both rows show their decision beside VirusTotal's unchanged verdict.
  await page.getByRole('button', { name: /^Untriaged with VTScore ≥ 1/ }).click();
  await expect(page).not.toHaveURL(/triage=/);
  await expect(rowOf(page, flagged)).toContainText('False positive');
  await expect(rowOf(page, flagged)).toContainText('Malicious');
  await expect(rowOf(page, low)).toContainText('Confirmed malicious');
  await expect(rowOf(page, low)).toContainText('Needs research');

  // IOC lists: the confirmed one is in at VTScore 1, the false positive is out at VTScore 5.
  const txt = (await (await page.request.get(`/api/runs/${first}/iocs.txt`)).text()).split('\n');
  expect(txt).toContain(low.sha256);
  expect(txt).not.toContain(flagged.sha256);
  const csv = await (await page.request.get('/api/iocs.csv')).text();
  expect(csv.split('\r\n')[0]).toMatch(/,Triage$/);
  const lowLine = csv.split('\r\n').find((l) => l.startsWith(low.sha256));
  expect(lowLine).toMatch(/,1,1\/61,,confirmed-malicious,1,.*,Confirmed malicious$/);
  expect(csv).not.toContain(flagged.sha256);

  // Another run of the same executables: the decisions are already there, with who and when.
  const second = await collectRun(page);
  expect(second).not.toBe(first);
  await page.getByRole('tab', { name: /Executables/ }).click();
  const badge = rowOf(page, flagged).getByRole('button', { name: /False positive/ });
  await expect(badge).toBeVisible({ timeout: 30_000 }); // the rows load once the tab opens
  await expect(badge).toHaveAttribute(
    'title',
    /^False positive by local user \S+ on .+\nNote: Lab build <b>not<\/b> malware\nticket #42$/,
  );
  await badge.click();
  await expect(dialog).toContainText('by local user');
  // The note comes back exactly as typed, as text (no markup rendered).
  await expect(dialog.locator('p').filter({ hasText: 'Lab build <b>not</b> malware' })).toBeVisible();
  await expect(dialog.getByLabel('Note')).toHaveValue(note);
  // Change it: the dialog then lists the earlier decision.
  await dialog.getByRole('radio', { name: /^Benign/ }).check();
  await dialog.getByLabel('Note').fill('known vendor tool');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(rowOf(page, flagged)).toContainText('Benign');
  await rowOf(page, flagged)
    .getByRole('button', { name: /Benign/ })
    .click();
  await expect(dialog.getByRole('list', { name: 'Earlier decisions' })).toContainText('False positive by local user');
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'triage.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The first run shows the new decision too; the Prevalence page shows it beside the verdict.
  await page.goto(`/runs/${first}?view=executables`);
  await expect(rowOf(page, flagged)).toContainText('Benign', { timeout: 30_000 });
  await page.goto('/prevalence?sort=vtScore');
  await expect(page.getByRole('row').filter({ hasText: flagged.name }).first()).toContainText('Benign', {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Untriaged with VTScore ≥ 1' }).click();
  await expect(page).toHaveURL(/triage=untriaged/);
  // Loaded again (the table or the empty state), then neither decided hash is listed.
  await expect(
    page.getByText('Nothing left to triage').or(page.getByRole('columnheader', { name: 'Triage' })),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('row').filter({ hasText: low.name })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: flagged.name })).toHaveCount(0);
});
