import http from 'node:http';
import { chromium, type Browser } from '@playwright/test';
import { chromiumPath } from '../scripts/test/system-deps.mjs';
import { expect, test } from './fixtures';
import { baseUrl } from './helpers';
import { freePort, trpc } from './server-process';

/**
 * The attacks of issue #8, as a browser runs them: DNS rebinding (attacker.test resolves to
 * 127.0.0.1), a cross-site multipart form and a no-cors fetch from another local origin, and a
 * framing page. None may reach the dashboard's data or change anything.
 */
const PORT = new URL(baseUrl()).port;
const KEY = 'attacker-spec-key-3c5e7a9b1d';

let browser: Browser;
let evil: http.Server;
let evilPort: number;

/** Pages an attacker would serve, from a second local origin. */
function attackerPage(kind: string): string {
  const target = `http://127.0.0.1:${PORT}`;
  if (kind === 'form') {
    return `<!doctype html><form id="f" method="POST" enctype="multipart/form-data" action="${target}/api/trpc/runs.collect">
      <input name="minMemoryPercent" value="0"></form><script>document.getElementById('f').submit()</script>`;
  }
  if (kind === 'frame')
    return `<!doctype html><iframe id="victim" src="${target}/settings" width="800" height="600"></iframe>`;
  return '<!doctype html><p>attacker</p>';
}

test.beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--host-resolver-rules=MAP attacker.test 127.0.0.1',
    ],
  });
  evilPort = await freePort();
  evil = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackerPage(new URL(req.url ?? '/', 'http://x').pathname.slice(1)));
  });
  await new Promise<void>((r) => evil.listen(evilPort, '127.0.0.1', r));
  await trpc(baseUrl(), 'vt.setApiKey', { apiKey: KEY }, 'POST');
});

test.afterAll(async () => {
  await trpc(baseUrl(), 'vt.removeApiKey', undefined, 'POST').catch(() => undefined);
  await browser?.close();
  await new Promise((r) => evil?.close(r));
});

async function runCount(): Promise<number> {
  return (await trpc<unknown[]>(baseUrl(), 'runs.list', { limit: 500 })).length;
}

async function keyConfigured(): Promise<boolean> {
  return (await trpc<{ keyConfigured: boolean }>(baseUrl(), 'vt.settings')).keyConfigured;
}

test('a rebinding page on attacker.test gets 421 and nothing of the dashboard, nor its API', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`http://attacker.test:${PORT}/settings`);
  expect(res?.status()).toBe(421);
  await expect(page.locator('body')).toContainText(`answers only to 127.0.0.1:${PORT}`);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByText('API key')).toHaveCount(0);
  // As a same-origin page of attacker.test, it calls the API: every call is refused the same way.
  const answers = await page.evaluate(async () => {
    const post = (p: string, body: unknown) =>
      fetch(`/api/trpc/${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.status);
    return [
      await post('vt.setApiKey', { json: { apiKey: 'attackers-own-key-000000' } }),
      await post('vt.updateSettings', { json: { maliciousThreshold: 1000 } }),
      await fetch('/api/trpc/runs.list').then((r) => r.status),
      await fetch('/api/runs/1/run.json').then((r) => r.status),
    ];
  });
  expect(answers).toEqual([421, 421, 421, 421]);
  expect(await keyConfigured()).toBe(true);
  await page.close();
});

test('a rebinding page gets 421 for a trailing-slash address too, before any redirect', async () => {
  const page = await browser.newPage();
  for (const p of ['/settings/', '/runs/', '/api/health/']) {
    const res = await page.goto(`http://attacker.test:${PORT}${p}`);
    expect(res?.status(), p).toBe(421);
    // Next's own trailing-slash redirect used to answer first: a 308 without the gate's headers.
    expect(res?.request().redirectedFrom(), p).toBeNull();
    expect(res?.headers()['x-frame-options'], p).toBe('DENY');
  }
  await page.close();
});

for (const origin of ['attacker.test', '127.0.0.1']) {
  test(`a page on ${origin}:<other port> cannot collect or remove the key with a form or a no-cors fetch`, async () => {
    const before = await runCount();
    const page = await browser.newPage();
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/trpc/runs.collect'));
    await page.goto(`http://${origin}:${evilPort}/form`);
    expect((await refused).status()).toBe(403);
    await page.goto(`http://${origin}:${evilPort}/blank`);
    await page.evaluate(async (target) => {
      const form = new FormData();
      form.append('minMemoryPercent', '0');
      await fetch(`${target}/api/trpc/vt.removeApiKey`, { method: 'POST', mode: 'no-cors', body: form });
      await fetch(`${target}/api/trpc/runs.collect`, {
        method: 'POST',
        mode: 'no-cors',
        body: '{"json":{"minMemoryPercent":0}}',
      });
    }, `http://127.0.0.1:${PORT}`);
    expect(await keyConfigured()).toBe(true);
    expect(await runCount()).toBe(before);
    await page.close();
  });
}

test('a framing page shows nothing of /settings', async () => {
  const page = await browser.newPage();
  const framed = page.waitForResponse((r) => r.url().endsWith('/settings'));
  await page.goto(`http://attacker.test:${evilPort}/frame`);
  const res = await framed;
  expect(res.headers()['x-frame-options']).toBe('DENY');
  expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  // Chromium replaces a frame it refuses to embed with its error page.
  const child = () => page.frames().find((f) => f !== page.mainFrame());
  await expect.poll(() => child()?.url() ?? '', { timeout: 15_000 }).toMatch(/^chrome-error:/);
  await expect(page.frameLocator('#victim').getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await page.close();
});
