import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fakeVtControl } from './fake-vt/control';
import { fakeHashes, makeSnapshot } from '../tests/fixtures';
import { removeVtKey, saveVtKey, startKnownProcess, stopKnownProcess, type KnownProcess } from './helpers';

/**
 * Quota where it matters (#12 item 9) and the charts (item 8) on a real run: the queue serves the
 * unpackaged /tmp executables before a distro binary that matches its package, the run page shows
 * that order with its reasons, the skip setting keeps the distro binary from VirusTotal (the fake
 * counts requests), the run and fleet charts draw bars, and one agent host flooding the queue
 * neither delays another host nor gets past its daily share. Runs after virustotal.spec.ts (it sets
 * the key itself too); it leaves the rate and the skip switch as it found them.
 */
const fake = () => fakeVtControl(process.env.PROCLENS_E2E_FAKE_VT_URL!);
const unique = (file: string) => fs.appendFileSync(file, crypto.randomBytes(64));

let tmpA: KnownProcess;
let tmpB: KnownProcess;
let tac: ChildProcess;
/**
 * coreutils' own tac, unmodified: package-verified, and never cached, because nothing else runs it. This
 * must not be a tool a developer pipes into while running the specs (`| tail`): an earlier spec's check
 * would cache its hash and it would never be queued here.
 */
const TAC = '/usr/bin/tac';
/** The name as the lookup order's text shows it: a line or a word of its own. */
const TAC_NAME = /(^|\s)tac(\s|$)/;
/** coreutils' cat, started only for the second test: a package-verified hash no check has queued yet. */
const CAT = '/usr/bin/cat';
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tacSha = () => sha(TAC);

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  tmpA = startKnownProcess('plqa', unique);
  tmpB = startKnownProcess('plqb', unique);
  // Reads its stdin, which stays open: it runs until killed.
  tac = spawn(TAC, [], { stdio: ['pipe', 'ignore', 'ignore'] });
});
test.afterAll(async ({ browser }) => {
  stopKnownProcess(tmpA);
  stopKnownProcess(tmpB);
  tac.kill('SIGKILL');
  await removeVtKey(browser);
});

async function saveRate(page: Page, perMinute: string) {
  await page.goto('/settings');
  const field = page.getByLabel('Requests per minute');
  if ((await field.inputValue()) === perMinute) return;
  await field.fill(perMinute);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
}

async function setSkip(page: Page, on: boolean) {
  await page.goto('/settings');
  const box = page.getByLabel('Skip package-verified executables');
  if ((await box.isChecked()) !== on) await box.click();
  await expect(box).toBeChecked({ checked: on });
  await page.reload();
  await expect(page.getByLabel('Skip package-verified executables')).toBeChecked({ checked: on, timeout: 30_000 });
}

async function collect(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Minimum memory %').fill('0');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Check on VirusTotal' })).toBeEnabled({ timeout: 60_000 });
  return page.url().match(/\/runs\/(\d+)/)![1]!;
}

test('the lookup queue serves unpackaged /tmp executables before a distro binary, and the run page shows why', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await saveVtKey(page);
  const rateBefore = await page.getByLabel('Requests per minute').inputValue();
  await setSkip(page, false);
  // One request a minute: the first lookup goes at once, the rest wait in the queue while we look.
  await saveRate(page, '1');
  try {
    await fake().reset();
    await collect(page);
    await page.getByRole('button', { name: 'Check on VirusTotal' }).click();

    const summary = page.getByText(/^Lookup order \(\d+ waiting\)/);
    await expect(summary).toBeVisible({ timeout: 30_000 });
    const list = page.getByRole('list', { name: 'Lookup order' });
    if (!(await list.isVisible())) await summary.click();
    const items = list.getByRole('listitem');
    await expect(items.filter({ has: page.getByTitle('tac', { exact: true }) })).toHaveCount(1);
    const texts = await items.allInnerTexts();
    const tacAt = texts.findIndex((t) => TAC_NAME.test(t));
    const tmpAt = texts.findIndex((t) => t.includes(tmpA.name) || t.includes(tmpB.name));
    // One of the two /tmp copies went first (at once); the other waits ahead of the distro binary.
    expect(tmpAt).toBeGreaterThanOrEqual(0);
    expect(tmpAt).toBeLessThan(tacAt);
    expect(texts[tmpAt]).toMatch(/first/);
    expect(texts[tmpAt]).toMatch(/not packaged · runs from a temp folder · 1 host/);
    expect(texts[tacAt]).toMatch(/last/);
    expect(texts[tacAt]).toContain("matches its package's checksum");

    // What VirusTotal was asked so far (the head of the queue): never the distro binary.
    // The first lookup leaves at once but may still be on its way when the list shows.
    const askedHashes = async () => (await fake().stats()).log.map((e) => e.hash);
    await expect.poll(async () => (await askedHashes()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(await askedHashes()).not.toContain(tacSha());

    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
  } finally {
    await saveRate(page, rateBefore);
  }
});

test('with the skip setting on, the distro binary is not requested and the run says how many were skipped; charts draw', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // The first test's cancelled check left tac's job queued; cat is new to the queue.
  const cat = spawn(CAT, [], { stdio: ['pipe', 'ignore', 'ignore'] });
  await setSkip(page, true);
  try {
    await fake().reset();
    // The /tmp copy asked now gets a score, so the VTScore chart has a bar to draw.
    for (const p of [tmpA, tmpB]) {
      await fake().addReports({ sha256: p.sha256, md5: p.md5, sha1: p.sha1, malicious: 3, undetected: 60 });
    }
    await collect(page);
    await page.getByRole('button', { name: 'Check on VirusTotal' }).click();
    await expect(page.getByText('Checked', { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(
      page.getByText(/^\d+ executables? (was|were) skipped: the file matches its package's checksum/),
    ).toBeVisible();

    const stats = await fake().stats();
    // Neither distro binary is asked: cat was skipped when the check enqueued, and tac's job, left
    // queued by the first test's cancelled check, is not claimed while the switch is on.
    expect(stats.perHash[sha(CAT)] ?? 0).toBe(0);
    expect(stats.perHash[tacSha()] ?? 0).toBe(0);
    // The /tmp copy the first test cancelled was asked now (the other one is cached since then).
    expect((stats.perHash[tmpA.sha256] ?? 0) + (stats.perHash[tmpB.sha256] ?? 0)).toBe(1);

    // The run's charts: each an image named by its numbers, with bars drawn.
    for (const title of ['VTScore distribution', 'Verdicts', 'Top memory users']) {
      const chart = page.getByRole('img', { name: new RegExp(`^${title}: `) });
      await expect(chart).toBeVisible();
      await expect(chart.locator('svg .recharts-bar-rectangle').first()).toBeVisible();
    }
    await expect(page.getByRole('img', { name: /^Top memory users: / })).toHaveAttribute(
      'aria-label',
      / (KiB|MiB|GiB)(;|$)/,
    );
    // The /tmp copy asked now (3 engines, at or above the threshold of 2) is the run's one malicious executable.
    await expect(page.getByRole('img', { name: /^Verdicts: / })).toHaveAttribute(
      'aria-label',
      /(^Verdicts: |; )Malicious: 1 executable(;|$)/,
    );

    // The fleet chart: today's executables, new vs known.
    await page.goto('/hosts');
    const fleet = page.getByRole('img', { name: /^New vs known executables, last 30 days/ });
    await expect(fleet).toBeVisible({ timeout: 30_000 });
    await expect(fleet.locator('svg .recharts-bar-rectangle').first()).toBeVisible();
  } finally {
    cat.kill('SIGKILL');
    await setSkip(page, false);
  }
});

/** playwright.config.ts starts the server with INGEST_VT_NEW_PER_HOST_DAY=20. */
const SHARE = 20;

test("one agent host's flood: another host's five go first, the excess is not queued, an analyst's check queues it", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await saveVtKey(page);
  const rateBefore = await page.getByLabel('Requests per minute').inputValue();
  // 60/min: one lookup in flight at a time (above it the worker keeps two, whose permits race),
  // so the order VirusTotal is asked in is the order the queue hands jobs out.
  await saveRate(page, '60');
  await page.goto('/tokens');
  await page.getByLabel('Token name').fill(`vt-queue-${crypto.randomBytes(3).toString('hex')}`);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();

  const tag = crypto.randomBytes(4).toString('hex');
  const push = async (hostKey: string, seeds: string[], integrity: 'modified' | null = null): Promise<number> => {
    const snap = makeSnapshot({ n: 1, distinct: 1, hostKey, hostname: hostKey });
    const [proc] = snap.processes;
    snap.processes = seeds.map((seed, i) => ({
      ...proc!,
      pid: 1000 + i,
      name: `fake${i}`,
      hashes: fakeHashes(seed),
      integrity,
      package: integrity ? 'bash' : null,
    }));
    snap.stats = {
      ...snap.stats,
      totalProcesses: seeds.length,
      processCount: seeds.length,
      distinctExecutables: seeds.length,
    };
    const res = await request.post('/api/ingest', {
      headers: { authorization: `Bearer ${token}` },
      data: { ...snap, snapshotId: crypto.randomUUID(), agentVersion: 'e2e' },
    });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { runId: number }).runId;
  };
  const flood = Array.from({ length: 50 }, (_, i) => `${tag}-flood-${i}`);
  const five = Array.from({ length: 5 }, (_, i) => `${tag}-five-${i}`);
  const sha = (seed: string) => fakeHashes(seed).sha256;

  await fake().reset();
  // The flooding host claims its fakes are modified packaged files: it still only orders its own.
  const floodHost = `e2e-flood-${tag}`;
  const floodRun = await push(floodHost, flood, 'modified');
  const asked = async () => (await fake().stats()).log.map((e) => e.hash);
  // The server's worker starts on the flood at once: count from the other host's arrival.
  await push(`e2e-five-${tag}`, five);
  const arrivedAt = (await asked()).length;
  await expect
    .poll(
      async () => {
        const a = await asked();
        return five.every((s) => a.includes(sha(s)));
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const log = await asked();
  // Hosts take turns: the five are among the first ten requests after they arrived, plus the one
  // the worker may have had in flight for the flood then.
  expect(Math.max(...five.map((s) => log.indexOf(sha(s)))) - arrivedAt).toBeLessThan(11);
  await saveRate(page, rateBefore);
  // The flooding host got its share and no more.
  await expect.poll(async () => (await asked()).filter((h) => flood.map(sha).includes(h)).length).toBe(SHARE);

  const notQueued = `${flood.length - SHARE} not queued: host over its share`;
  await page.goto(`/runs/${floodRun}`);
  await expect(page.getByText(`${notQueued}.`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/INGEST_VT_NEW_PER_HOST_DAY/).first()).toBeVisible();

  await page.goto('/hosts');
  const row = page.getByRole('row').filter({ hasText: floodHost });
  await expect(row.getByText(notQueued)).toBeVisible({ timeout: 30_000 });
  await expect(row.getByText(`${SHARE} of ${SHARE} new hashes a day queued today`)).toBeVisible();

  // An analyst decides to spend the quota: the held hashes are queued and asked once each.
  await page.goto(`/runs/${floodRun}`);
  await page.getByRole('button', { name: 'Check on VirusTotal' }).click();
  await expect(page.getByText(`${notQueued}.`)).toHaveCount(0, { timeout: 30_000 });
  // The badge read "Checked" before the click too: wait for the fake to have been asked for all.
  await expect
    .poll(async () => (await asked()).filter((h) => flood.map(sha).includes(h)).length, { timeout: 90_000 })
    .toBe(flood.length);
  await expect(page.getByText('Checked', { exact: true })).toBeVisible({ timeout: 30_000 });
  const perHash = (await fake().stats()).perHash;
  for (const s of flood) expect(perHash[sha(s)] ?? 0, s).toBe(1);
});
