import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startTempPostgres, type TempPostgres } from '../scripts/test/pg-cluster';
import { makeSnapshot } from '../tests/fixtures';
import { apiList, concretePath } from './api-list';
import { createFakeVt } from './fake-vt/server';
import { freePort, startServer, waitHealthy, type ServerProcess } from './server-process';

/**
 * Hosted mode end to end: a ProcLens server on a throwaway PostgreSQL with sign-in, an admin who
 * creates an agent token in the browser, two agents (different --host-name) pushing snapshots,
 * both hosts and the prevalence rows on screen, a run downloaded, then sign out and be refused.
 */
const EMAIL = 'lead@example.org';
const PASSWORD = 'e2e password for the lead';
/** A second admin, who takes the lead's token over. */
const DEPUTY = 'deputy@example.org';

let pg: TempPostgres;
let server: ServerProcess;
let url: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-hosted-e2e-'));

function proclens(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/proclens.mjs', ...args],
      { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 240_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** startServer picks its own port; hosted mode must know its public URL first, so the port is ours. */
async function startHosted(port: number, dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServer(dataDir, { ...env, PORT: String(port) });
  return { ...s, url: `http://127.0.0.1:${port}` };
}

test.describe.configure({ timeout: 480_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  pg = await startTempPostgres();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = await startHosted(port, path.join(tmp, 'data'), {
    PROCLENS_MODE: 'hosted',
    DATABASE_URL: pg.url,
    AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789',
    PROCLENS_PUBLIC_URL: url,
    VT_WORKER: 'off',
    INGEST_VT_CHECK: 'off',
  });
  await waitHealthy(server, 120_000);
  for (const email of [EMAIL, DEPUTY]) {
    const made = await proclens(['admin', 'create-user', '--email', email, '--role', 'admin'], {
      DATABASE_URL: pg.url,
      PROCLENS_PASSWORD: PASSWORD,
    });
    expect(made.code, made.stderr).toBe(0);
  }
});

test.afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await pg?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('sign in, create a token, two agents, hosts and prevalence, download a run, sign out', async ({
  page,
  request,
}) => {
  // Anonymous: every endpoint refuses.
  expect((await request.get(`${url}/api/trpc/runs.list`)).status()).toBe(401);
  expect((await request.get(`${url}/api/runs/1/workbook`)).status()).toBe(401);

  await page.goto(`${url}/hosts`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${url}/hosts`);
  await expect(page.getByTestId('signed-in-as')).toContainText(`${EMAIL} (admin)`);

  // The main navigation's: the empty Hosts page links to Tokens too.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens', exact: true }).click();
  await page.getByLabel('Token name').fill('e2e-fleet');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^plt_/);
  await expect(page.getByRole('cell', { name: 'e2e-fleet', exact: true })).toBeVisible();
  const row = page.getByRole('row', { name: /e2e-fleet/ });
  await expect(row.getByRole('cell', { name: EMAIL, exact: true })).toBeVisible();
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  // The lead hands the token to the deputy; the agents below push with it all the same.
  await page.getByRole('button', { name: 'Re-assign e2e-fleet' }).click();
  await page.getByLabel('New owner for e2e-fleet').selectOption(DEPUTY);
  await page.getByRole('button', { name: 'Give e2e-fleet to this admin' }).click();
  await expect(row.getByRole('cell', { name: DEPUTY, exact: true })).toBeVisible();

  for (const host of ['e2e-alpha', 'e2e-beta']) {
    const r = await proclens(['agent', '--server', url, '--host-name', host, '--once'], {
      PROCLENS_AGENT_TOKEN: token,
      AGENT_STATE_DIR: path.join(tmp, host),
    });
    expect(r.code, r.stderr).toBe(0);
  }

  await page.getByRole('link', { name: 'Hosts', exact: true }).click();
  await expect(page.getByRole('link', { name: 'e2e-alpha', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'e2e-beta', exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Prevalence', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Fewest hosts first' })).toHaveAttribute('aria-pressed', 'true');
  const firstHosts = page.locator('tbody tr').first().locator('td').first();
  await expect(firstHosts).toHaveText(/^[12]$/);
  await page.locator('tbody tr').first().getByRole('button').click();
  await expect(page.getByRole('link', { name: /e2e-(alpha|beta)/ }).first()).toBeVisible();
  await page.getByRole('button', { name: 'VTScore, highest first' }).click();
  await expect(page).toHaveURL(/sort=vtScore/);

  // Any host's run downloads like a local one.
  await page.getByRole('link', { name: 'Hosts', exact: true }).click();
  await page.getByRole('link', { name: 'e2e-beta', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Download workbook/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^All_process_hash_real_time_.*\.xlsx$/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get(`${url}/api/trpc/fleet.hosts`)).status()).toBe(401);
  await page.goto(`${url}/prevalence`);
  await expect(page).toHaveURL(/\/sign-in/);
});

/**
 * Issue #17, item 5: anonymous pages used to answer 200 with the app shell and leave the redirect
 * to the browser. Every page but /sign-in now answers 307 on the server, with the page as a `next`
 * that stays on this origin; a session cookie that merely exists is not a session.
 */
test('anonymous pages get a 307 to /sign-in from the server; a forged cookie is no session; the API says 401', async ({
  request,
}) => {
  const { pages, procedures, routes } = apiList();
  const failures: string[] = [];
  for (const cookie of [null, 'better-auth.session_token=forged.c2lnbmF0dXJl']) {
    for (const pattern of [...pages.filter((p) => p !== '/sign-in'), '/no-such-page', '/%5Cattacker.test']) {
      const target = `${concretePath(pattern)}?sort=name`;
      const res = await request.get(`${url}${target}`, { maxRedirects: 0, headers: cookie ? { cookie } : {} });
      const where = `${target}${cookie ? ' (forged cookie)' : ''}`;
      const location = res.headers().location ?? '';
      const to = new URL(location, url);
      const next = to.searchParams.get('next') ?? '';
      if (res.status() !== 307 || to.pathname !== '/sign-in') {
        failures.push(`${where}: ${res.status()} ${location || (await res.text()).slice(0, 80)}`);
      } else if (new URL(next, url).origin !== url || !next.startsWith('/') || next.startsWith('//')) {
        failures.push(`${where}: next=${next} leaves ${url}`);
      } else if (next !== (pattern === '/%5Cattacker.test' ? '/' : target)) {
        failures.push(`${where}: next=${next}, expected ${target}`);
      }
    }
  }
  expect((await request.get(`${url}/sign-in`, { maxRedirects: 0 })).status()).toBe(200);
  // The API keeps answering 401 with JSON; /api/health and the sign-in API stay open.
  for (const proc of procedures) {
    if (proc.path === 'system.me') continue; // public: the sign-in page asks who is signed in
    const res =
      proc.type === 'query'
        ? await request.get(`${url}/api/trpc/${proc.path}?input=%7B%7D`)
        : await request.post(`${url}/api/trpc/${proc.path}`, { data: { json: {} } });
    if (res.status() !== 401) failures.push(`${proc.path}: ${res.status()}`);
  }
  for (const route of routes) {
    if (['/api/health', '/api/auth/[...all]', '/api/trpc/[trpc]'].includes(route.pattern)) continue;
    const p = concretePath(route.pattern);
    for (const method of route.methods) {
      const res = await request.fetch(`${url}${p}`, { method, data: method === 'GET' ? undefined : {} });
      if (res.status() !== 401) failures.push(`${method} ${p}: ${res.status()}`);
      else if (!/"message"/.test(await res.text())) failures.push(`${method} ${p}: 401 without JSON`);
    }
  }
  expect((await request.get(`${url}/api/health`)).status()).toBe(200);
  expect(failures).toEqual([]);
});

/** Issue #17, item 7: `next=/%5Cattacker.test/…` or `next=/%09/…` sent the browser to another host. */
test('after a real sign-in, a hostile `next` lands on the dashboard, not on another host', async ({ page }) => {
  for (const next of ['/%5Cattacker.test/x', '/%09/attacker.test/x']) {
    await page.goto(`${url}/sign-in?next=${next}`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${url}/`);
    await expect(page.getByTestId('signed-in-as')).toContainText(EMAIL);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
  }
});

test('two app processes and two workers on one database share one quota and ask each hash once', async () => {
  // VirusTotal's sliding window compressed 10×: 18 per 6 s is 180/min, shared by everyone.
  const fake = await createFakeVt({ perMinute: 18, windowMs: 6_000, perDay: 0 });
  const vtEnv = {
    VT_BASE_URL: fake.url,
    VT_API_KEY: fake.apiKey,
    VT_REQUESTS_PER_MINUTE: '180',
    VT_WORKER: 'on',
    INGEST_VT_CHECK: 'on',
  };
  const extra: ServerProcess[] = [];
  const workers: ChildProcess[] = [];
  try {
    const apps: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const appUrl = `http://127.0.0.1:${port}`;
      const s = await startHosted(port, path.join(tmp, `data-app-${i}`), {
        PROCLENS_MODE: 'hosted',
        DATABASE_URL: pg.url,
        AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789',
        PROCLENS_PUBLIC_URL: appUrl,
        ...vtEnv,
      });
      extra.push(s);
      await waitHealthy(s, 120_000);
      apps.push(appUrl);
    }
    for (let i = 0; i < 2; i++) {
      workers.push(
        spawn(process.execPath, ['bin/proclens.mjs', 'worker'], {
          env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: pg.url, ...vtEnv },
          stdio: 'ignore',
        }),
      );
    }
    const made = await proclens(['token', 'create', '--name', 'quota-test'], { DATABASE_URL: pg.url });
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim();
    // Four hosts, two per app, with overlapping executables: 24 distinct hashes in all.
    const shas = new Set<string>();
    for (let h = 0; h < 4; h++) {
      const snap = makeSnapshot({ n: 24, distinct: 12, hostKey: `quota-${h}`, hostname: `quota-${h}` });
      for (const [i, p] of snap.processes.entries()) {
        if (!p.hashes) continue;
        const seed = `quota-exe-${(i + h * 4) % 24}`;
        p.hashes = { ...p.hashes, sha256: crypto.createHash('sha256').update(seed).digest('hex') };
        shas.add(p.hashes.sha256);
      }
      const res = await fetch(`${apps[h % 2]}/api/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ ...snap, snapshotId: crypto.randomUUID(), agentVersion: 'e2e' }),
      });
      expect(res.status).toBe(201);
    }
    await expect
      .poll(() => new Set(fake.requestLog().map((r) => r.hash)).size, { timeout: 120_000 })
      .toBeGreaterThanOrEqual(shas.size);
    const log = fake.requestLog();
    const perHash = new Map<string, number>();
    for (const r of log) perHash.set(r.hash, (perHash.get(r.hash) ?? 0) + 1);
    for (const sha of shas) expect(perHash.get(sha), sha).toBe(1);
    expect(log.filter((r) => r.status === 429)).toHaveLength(0);
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    for (const s of extra) s.child.kill('SIGTERM');
    await Promise.all(extra.map((s) => s.exited));
    await fake.close();
  }
});
