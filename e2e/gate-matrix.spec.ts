import fs from 'node:fs';
import path from 'node:path';
import { apiList, concretePath } from './api-list';
import { expect, test } from './fixtures';
import { buildCells, gateExpects, GATE_SENTENCE, HOSTS, METHODS, ORIGINS, SITES } from './gate-cells';
import { send } from './gate-request';
import { baseUrl } from './helpers';
import { trpc } from './server-process';

/**
 * The request gate, tried cell by cell against the built server: every tRPC procedure and every
 * route handler and page found in the app (read from the router and the app folder, so a new one
 * is covered without editing this file), crossed with Host × Origin × Sec-Fetch-Site × content
 * type (the cells and what each must answer: gate-cells.ts). Each answer must be the expected
 * status with a sentence, and carry the security headers. Local mode requires the access token
 * (issue #17): the full cross carries the cookie the printed link sets; the bearer token, no
 * credential and a forged one are tried on the plain requests.
 */
const api = apiList();

test('every procedure, route and page × Host × Origin × Sec-Fetch-Site × content type answers as the gate says', async () => {
  test.setTimeout(300_000);
  expect(api.procedures.length).toBeGreaterThan(10);
  expect(api.routes.length).toBeGreaterThan(5);
  const cells = buildCells();
  const failures: string[] = [];
  const summary = new Map<string, Set<number>>();
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const c = cells[next++]!;
      const ans = await send(c);
      const gate = gateExpects(c);
      const expected = gate !== null ? [gate] : c.passStatus;
      const where = `${c.method} ${c.path.slice(0, 60)} host=${c.host.label} origin=${c.origin.label} site=${c.site.label} ct=${c.contentType ?? '-'} credential=${c.credential.label}`;
      if (!expected.includes(ans.status))
        failures.push(`${where}: expected ${expected.join(' or ')}, got ${ans.status} ${ans.body.slice(0, 160)}`);
      else if (gate !== null && !GATE_SENTENCE[gate].test(ans.body))
        failures.push(`${where}: ${gate} without its sentence: ${ans.body.slice(0, 160)}`);
      else if (gate === null && c.passSentence && !c.passSentence.test(ans.body))
        failures.push(`${where}: no sentence in ${ans.body.slice(0, 160)}`);
      else if (gate === null && c.location !== undefined) {
        const to = new URL(String(ans.headers.location), `http://${c.host.value}`);
        if (to.pathname !== c.location || to.host !== c.host.value)
          failures.push(`${where}: redirected to ${String(ans.headers.location)}, not ${c.location}`);
      }
      for (const [h, v] of [
        ['x-frame-options', 'DENY'],
        ['x-content-type-options', 'nosniff'],
        ['referrer-policy', 'no-referrer'],
        ['cross-origin-opener-policy', 'same-origin'],
      ]) {
        if (ans.headers[h!] !== v) failures.push(`${where}: header ${h} is ${String(ans.headers[h!])}`);
      }
      if (!/frame-ancestors 'none'/.test(String(ans.headers['content-security-policy'])))
        failures.push(`${where}: no CSP`);
      const group = /^(query|mutation) /.test(c.target)
        ? `${c.target.split(' ')[0]} (all ${c.target.split(' ')[0]}s)`
        : c.target;
      const headersClass =
        c.origin.ok && c.site.ok ? 'own/no Origin, same-origin/no SFS' : 'foreign Origin or same-site/cross-site';
      const key = `${group} | ${c.host.ok ? 'served Host' : 'other Host'} | ${headersClass} | ${c.contentType?.split(';')[0] ?? '-'} | ${c.credential.ok ? 'token' : 'no/forged token'}`;
      if (!summary.has(key)) summary.set(key, new Set());
      summary.get(key)!.add(ans.status);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  const table = [...summary].sort().map(([k, s]) => `${k} → ${[...s].sort().join('/')}`);
  const out = path.join('.test-artifacts', 'gate-matrix.txt');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${cells.length} requests\n${table.join('\n')}\n`);
  expect(failures.slice(0, 30), `${failures.length} of ${cells.length} cells differ`).toEqual([]);
});

/**
 * Issue #17, item 11: any local account could `curl 127.0.0.1` to read every run or remove the
 * VirusTotal key. Without the access token (no cookie, no bearer) every page, procedure, route and
 * method answers 401 — a page saying where the link is printed, JSON under /api — and no data.
 * /api/health stays open for probes (it says only ok/unavailable).
 */
test('local mode: without the access token every page, procedure and route answers 401', async () => {
  test.setTimeout(180_000);
  const cells: Array<{ method: string; path: string; page: boolean; status: number }> = [];
  for (const proc of api.procedures) {
    cells.push(
      proc.type === 'query'
        ? { method: 'GET', path: `/api/trpc/${proc.path}?input=%7B%7D`, page: false, status: 401 }
        : { method: 'POST', path: `/api/trpc/${proc.path}`, page: false, status: 401 },
    );
  }
  for (const route of api.routes) {
    for (const method of METHODS) {
      const health = route.pattern === '/api/health';
      const status = health ? (method === 'GET' ? 200 : 405) : 401;
      cells.push({ method, path: concretePath(route.pattern), page: false, status });
    }
  }
  for (const pattern of [...api.pages, '/no-such-page']) {
    for (const method of ['GET', 'HEAD', 'POST'])
      cells.push({ method, path: concretePath(pattern), page: true, status: 401 });
  }
  const failures: string[] = [];
  for (const c of cells) {
    const writes = c.method !== 'GET' && c.method !== 'HEAD';
    const ans = await send({
      method: c.method,
      path: c.path,
      host: HOSTS[0]!,
      origin: writes ? ORIGINS[1]! : ORIGINS[0]!,
      site: writes ? SITES[1]! : SITES[0]!,
      contentType: writes ? 'application/json' : null,
      body: writes ? '{"json":{}}' : null,
    });
    const where = `${c.method} ${c.path}`;
    if (ans.status !== c.status) {
      failures.push(`${where}: expected ${c.status}, got ${ans.status} ${ans.body.slice(0, 120)}`);
      continue;
    }
    if (ans.headers['x-frame-options'] !== 'DENY') failures.push(`${where}: no security headers`);
    if (c.status !== 401) continue;
    if (c.page && c.method === 'GET') {
      if (!String(ans.headers['content-type']).startsWith('text/html'))
        failures.push(`${where}: the explanation is not a page (${String(ans.headers['content-type'])})`);
      if (!ans.body.includes('npx proclens url')) failures.push(`${where}: the page does not say where the link is`);
      if (/<nav|__next_f|Dashboard<\/a>/.test(ans.body)) failures.push(`${where}: the app shell was served`);
    } else if (!c.page && !/token/i.test(ans.body)) {
      failures.push(`${where}: 401 without a sentence: ${ans.body.slice(0, 120)}`);
    }
  }
  expect(failures.slice(0, 30), `${failures.length} of ${cells.length} anonymous requests differ`).toEqual([]);
});

test('a batch of more than 20 calls is refused with 413 and a sentence; 20 pass', async ({ request }) => {
  const batch = (n: number) =>
    `/api/trpc/${Array.from({ length: n }, () => 'vt.quota').join(',')}?batch=1&input=${encodeURIComponent('{}')}`;
  const big = await request.get(batch(500));
  expect(big.status()).toBe(413);
  expect((await big.json()).error.message).toMatch(/at most 20 calls; this one has 500/);
  expect((await request.get(batch(20))).status()).toBe(200);
});

test('a page for a missing or malformed run id answers HTTP 404', async ({ page }) => {
  for (const id of ['999999', 'abc', '0', '1e3']) {
    const res = await page.goto(`/runs/${id}`);
    expect(res?.status(), `/runs/${id}`).toBe(404);
    await expect(page.getByText(/not found/i).first()).toBeVisible();
  }
});

test('pages and downloads carry the security headers; the page nonce is fresh each time', async ({ page, request }) => {
  const { runId } = await trpc<{ runId: number }>(baseUrl(), 'runs.collect', { minMemoryPercent: 50 }, 'POST');
  await expect
    .poll(async () => (await trpc<{ status: string }>(baseUrl(), 'runs.byId', { runId })).status, { timeout: 60_000 })
    .not.toBe('running');
  const nonces = new Set<string>();
  for (const p of ['/', '/runs', `/runs/${runId}`, '/settings']) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBe(200);
    const h = res!.headers();
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
    expect(h['x-content-type-options']).toBe('nosniff');
    const nonce = /'nonce-([^']+)'/.exec(h['content-security-policy'] ?? '')?.[1];
    expect(nonce, p).toBeTruthy();
    nonces.add(nonce!);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toBeVisible();
  }
  expect(nonces.size).toBe(4);
  for (const d of ['workbook', 'processes.csv', 'run.json', 'vt-check.json', 'vt-results.txt']) {
    const res = await request.get(`/api/runs/${runId}/${d}`);
    expect(res.status(), d).toBe(200);
    expect(res.headers()['x-content-type-options'], d).toBe('nosniff');
    expect(res.headers()['x-frame-options'], d).toBe('DENY');
    expect(res.headers()['content-security-policy'], d).toContain("frame-ancestors 'none'");
  }
});
