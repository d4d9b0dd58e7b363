import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../tests/cli';
import { LOCAL_ACCESS_FILE } from '../domain/local-access';
import { expect, test } from './fixtures';
import { accessToken, startServer, waitHealthy, type ServerProcess } from './server-process';

/**
 * Issue #17, item 11, as a person meets it: `npm start` prints the access link; a browser without
 * it gets a page saying where the link is; the link sets the cookie and drops the token from the
 * address; scripts use the token as a bearer token; `proclens url` prints the link again; a
 * restart keeps it; PROCLENS_LOCAL_AUTH=off opens the server again, with a warning.
 */
const servers: ServerProcess[] = [];
test.afterAll(() => {
  for (const s of servers) s.child.kill('SIGKILL');
});

async function started(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServer(dataDir, env);
  servers.push(s);
  await waitHealthy(s);
  return s;
}

/** The link from the start line, once the server has printed it. */
async function printedLink(s: ServerProcess): Promise<string> {
  const line = () => /ProcLens dashboard: (\S+)/.exec(s.output())?.[1] ?? '';
  await expect.poll(line, { timeout: 30_000 }).not.toBe('');
  return line();
}

/** A browser context that has never opened the link (the suite's fixture gives every context the cookie). */
const noCookies = { storageState: { cookies: [], origins: [] } };

test('the printed link opens the dashboard; without it a page says where it is; proclens url prints it again', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-access-'));
  const s = await started(dataDir);
  const port = new URL(s.url).port;
  const link = await printedLink(s);
  const token = accessToken(dataDir)!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(link).toBe(`${s.url}/?token=${token}`);
  expect(fs.statSync(path.join(dataDir, LOCAL_ACCESS_FILE)).mode & 0o777).toBe(0o600);

  // A browser without the cookie: 401, a page of its own (no dashboard), and never the token.
  const context = await browser.newContext(noCookies);
  const page = await context.newPage();
  const refused = await page.goto(`${s.url}/settings`);
  expect(refused?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Open ProcLens with its access link' })).toBeVisible();
  await expect(page.getByText('npx proclens url')).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  // Someone else's link: refused, and the page says why.
  const wrong = await page.goto(`${s.url}/?token=${'x'.repeat(43)}`);
  expect(wrong?.status()).toBe(401);
  await expect(page.getByText(/not this server's/)).toBeVisible();
  expect(await context.cookies()).toEqual([]);

  // The real link: the cookie is set and the address loses the token.
  await page.goto(link);
  expect(page.url()).toBe(`${s.url}/`);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const cookies = await context.cookies();
  expect(cookies).toEqual([
    expect.objectContaining({ name: `proclens_access_${port}`, httpOnly: true, sameSite: 'Strict', path: '/' }),
  ]);
  expect(cookies[0]!.value).not.toContain(token);
  expect(await page.content()).not.toContain(token);
  // A deep link keeps its path and query.
  await page.goto(`${s.url}/runs?host=web-01&token=${token}`);
  expect(page.url()).toBe(`${s.url}/runs?host=web-01`);
  await page.goto(`${s.url}/settings`);
  await expect(page.getByLabel('VirusTotal API key')).toBeVisible();

  // Scripts: the token as a bearer token; nothing else.
  const me = (headers: Record<string, string>) => fetch(`${s.url}/api/trpc/system.me`, { headers });
  expect((await me({ authorization: `Bearer ${token}` })).status).toBe(200);
  expect((await me({ authorization: 'Bearer not-the-token' })).status).toBe(401);
  const anonymous = await me({});
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/access token/);
  const iocs = await fetch(`${s.url}/api/iocs.csv`, { headers: { authorization: `Bearer ${token}` } });
  expect(iocs.status).toBe(200);
  expect(await iocs.text()).not.toContain(token);

  // The CLI: `url` prints the same link; `check` goes through the server with the token.
  const url = await cli(['url'], { DATA_DIR: dataDir, PORT: port });
  expect(url.code, url.stderr).toBe(0);
  expect(url.stdout.trim()).toBe(link);
  const check = await cli(['check', '--latest'], { DATA_DIR: dataDir, PORT: port });
  expect(check.stderr).toContain('checking through it');
  expect(check.stderr).toContain('There are no runs yet');

  // The token is printed once, on the start line, and logged nowhere else.
  expect(s.output().split(token).length - 1).toBe(1);

  // A restart keeps the token: the bookmarked link and the cookie still open the dashboard.
  s.child.kill('SIGTERM');
  await s.exited;
  const again = await started(dataDir, { PORT: port });
  expect(await printedLink(again)).toBe(link);
  expect((await page.goto(`${again.url}/settings`))?.status()).toBe(200);
  await context.close();
  again.child.kill('SIGTERM');
  await again.exited;
});

test('PROCLENS_LOCAL_AUTH=off: every local user gets in again, and the start says so', async ({ browser }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-access-off-'));
  const s = await started(dataDir, { PROCLENS_LOCAL_AUTH: 'off' });
  expect(await printedLink(s)).toBe(`${s.url}/`);
  expect(s.output()).toMatch(/warning: PROCLENS_LOCAL_AUTH=off — every account on this machine can open the dashboard/);
  expect(fs.existsSync(path.join(dataDir, LOCAL_ACCESS_FILE))).toBe(false);
  const context = await browser.newContext(noCookies);
  const page = await context.newPage();
  expect((await page.goto(`${s.url}/settings`))?.status()).toBe(200);
  expect((await fetch(`${s.url}/api/trpc/system.me`)).status).toBe(200);
  await context.close();
  s.child.kill('SIGTERM');
  await s.exited;
});
