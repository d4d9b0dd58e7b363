import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { apiList, concretePath } from './api-list';
import { expect, test } from './fixtures';
import { baseUrl } from './helpers';
import { accessCookie, authHeaders, trpc } from './server-process';

/**
 * The request gate, tried cell by cell against the built server: every tRPC procedure and every
 * route handler and page found in the app (read from the router and the app folder, so a new one
 * is covered without editing this file), crossed with Host × Origin × Sec-Fetch-Site × content
 * type. Each answer must be the expected status with a sentence, and carry the security headers.
 * Local mode requires the access token (issue #17): the full cross carries the cookie the printed
 * link sets; the bearer token, no credential and a forged one are tried on the plain requests.
 */
const api = apiList();

const base = new URL(baseUrl());
const PORT = base.port;
const SERVED = `http://127.0.0.1:${PORT}`;
const HOSTS = [
  { label: '127.0.0.1', value: `127.0.0.1:${PORT}`, ok: true },
  { label: 'localhost', value: `localhost:${PORT}`, ok: true },
  { label: 'attacker.test', value: `attacker.test:${PORT}`, ok: false },
];
const ORIGINS = [
  { label: '-', value: null, ok: true },
  { label: 'served', value: SERVED, ok: true },
  { label: 'other', value: `http://attacker.test:${PORT}`, ok: false },
];
const SITES = [
  { label: '-', value: null, ok: true },
  { label: 'same-origin', value: 'same-origin', ok: true },
  { label: 'same-site', value: 'same-site', ok: false },
  { label: 'cross-site', value: 'cross-site', ok: false },
];
const CONTENT_TYPES = [
  'application/json',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/octet-stream',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CREDENTIALS = [
  { label: 'cookie', ok: true },
  { label: 'bearer', ok: true },
  { label: 'none', ok: false },
  { label: 'forged', ok: false },
] as const;
const GATE_SENTENCE = {
  421: /answers only to .*PROCLENS_PUBLIC_URL/,
  403: /accepted only from ProcLens's own pages/,
  415: /must be sent as application\/json/,
  413: /A batch may hold at most 20 calls; this one has \d+/,
  401: /access token|npx proclens url/,
};
/** tRPC separates batch calls with `,` after percent-decoding the path: `%2C` and `%2c` are commas too. */
const BATCH_SEPARATORS = [',', '%2C', '%2c'];
const batchPath = (n: number, sep: string) =>
  `/api/trpc/${Array.from({ length: n }, () => 'vt.settings').join(sep)}?batch=1&input=${encodeURIComponent('{}')}`;

interface Cell {
  target: string;
  method: string;
  path: string;
  host: (typeof HOSTS)[number];
  origin: (typeof ORIGINS)[number];
  site: (typeof SITES)[number];
  credential: (typeof CREDENTIALS)[number];
  contentType: string | null;
  body: string | null;
  /** Expected statuses when the gate lets the request through. */
  passStatus: number[];
  /** The sentence expected then (null: a page or a success). */
  passSentence: RegExp | null;
  page: boolean;
  /** A tRPC batch of more calls than the gate allows: 413 once Host, Origin and type pass. */
  overBatch?: boolean;
  /** Where a trailing-slash redirect (308) must point once the gate lets the request through. */
  location?: string;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function credentialHeaders(label: (typeof CREDENTIALS)[number]['label']): Record<string, string> {
  const cookie = accessCookie(baseUrl());
  if (label === 'cookie') return { cookie: `${cookie.name}=${cookie.value}` };
  if (label === 'bearer') return authHeaders(baseUrl());
  if (label === 'forged') return { cookie: `${cookie.name}=forged`, authorization: 'Bearer not-the-token' };
  return {};
}

function send(
  c: Pick<Cell, 'method' | 'path' | 'host' | 'origin' | 'site' | 'contentType' | 'body'> & {
    credential?: Cell['credential'];
  },
): Promise<Answer> {
  const headers: Record<string, string> = {
    host: c.host.value,
    ...(c.credential ? credentialHeaders(c.credential.label) : {}),
  };
  if (c.origin.value) headers.origin = c.origin.value;
  if (c.site.value) headers['sec-fetch-site'] = c.site.value;
  if (c.contentType) headers['content-type'] = c.contentType;
  if (c.body !== null) headers['content-length'] = String(Buffer.byteLength(c.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: Number(PORT),
        method: c.method,
        path: c.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(c.body ?? undefined);
  });
}

/** What the gate answers for a cell, or null when it lets the request through. */
function gateExpects(c: Cell): 421 | 403 | 415 | 413 | 401 | null {
  if (!c.host.ok) return 421;
  const writes = c.method !== 'GET' && c.method !== 'HEAD';
  if (writes && (!c.origin.ok || !c.site.ok)) return 403;
  if (c.path.startsWith('/api/trpc/') && c.method === 'POST' && c.contentType?.split(';')[0] !== 'application/json')
    return 415;
  if (c.overBatch) return 413;
  // A trailing slash is redirected to the canonical path before access is decided (proxy.ts).
  if (c.location !== undefined) return null;
  // The access token: health is open, and the CLI's hand-over (POST /api/ingest) checks its own.
  const open = c.path === '/api/health' || (c.path === '/api/ingest' && c.method === 'POST');
  if (!c.credential.ok && !open) return 401;
  return null;
}

/** The known answers of route handlers past the gate (run 999999 does not exist). */
function routeAnswer(pattern: string, method: string): { status: number; sentence: RegExp | null } {
  if (pattern === '/api/health') return { status: 200, sentence: null };
  if (pattern === '/api/ingest') return { status: 401, sentence: /token invalid or revoked/ };
  // Local mode (this server) has no sign-in; hosted mode is covered by e2e/hosted.spec.ts.
  if (pattern === '/api/auth/[...all]') return { status: 404, sentence: /Sign-in exists in hosted mode only/ };
  // Fleet-wide IOC lists: an empty fleet has none, still a 200 file.
  if (pattern === '/api/iocs.txt' || pattern === '/api/iocs.csv') return { status: 200, sentence: null };
  if (pattern.startsWith('/api/runs/[runId]/')) return { status: 404, sentence: /Run 999999 does not exist/ };
  // The matrix sends JSON; the import takes only a multipart upload.
  if (pattern === '/api/imports') return { status: 415, sentence: /Upload the workbook as multipart\/form-data/ };
  throw new Error(
    `The request matrix does not know what ${method} ${pattern} answers to the local person: add it to routeAnswer().`,
  );
}

function buildCells(): Cell[] {
  const cells: Cell[] = [];
  const cross = (
    make: (host: Cell['host'], origin: Cell['origin'], site: Cell['site'], credential: Cell['credential']) => void,
  ) => {
    for (const host of HOSTS)
      for (const origin of ORIGINS) for (const site of SITES) make(host, origin, site, CREDENTIALS[0]);
    // The other credentials on the plain requests: no Origin, and the dashboard's own.
    for (const credential of CREDENTIALS.slice(1)) {
      make(HOSTS[0]!, ORIGINS[0]!, SITES[0]!, credential);
      make(HOSTS[0]!, ORIGINS[1]!, SITES[1]!, credential);
    }
  };
  for (const proc of api.procedures) {
    if (proc.type === 'query') {
      // Malformed input: tRPC refuses it before the procedure runs (a query without input ignores
      // it and answers); reads change nothing either way.
      cross((host, origin, site, credential) =>
        cells.push({
          target: `query ${proc.path}`,
          method: 'GET',
          path: `/api/trpc/${proc.path}?input=%7B`,
          host,
          origin,
          site,
          credential,
          contentType: null,
          body: null,
          passStatus: [200, 400],
          passSentence: /"result"|"message"\s*:\s*"[^"]{8,}/,
          page: false,
        }),
      );
    } else {
      for (const contentType of CONTENT_TYPES) {
        // A malformed body: tRPC refuses it before the procedure runs, except for a mutation that
        // takes no input (vt.removeApiKey), which runs — harmless on the test server.
        cross((host, origin, site, credential) =>
          cells.push({
            target: `mutation ${proc.path}`,
            method: 'POST',
            path: `/api/trpc/${proc.path}`,
            host,
            origin,
            site,
            credential,
            contentType,
            body: '{',
            passStatus: [200, 400],
            passSentence: /"result"|"message"\s*:\s*"[^"]{8,}/,
            page: false,
          }),
        );
      }
    }
  }
  for (const route of api.routes) {
    const isTrpc = route.pattern.includes('[trpc]');
    const path = concretePath(route.pattern);
    for (const method of METHODS) {
      // tRPC's own methods are covered procedure by procedure above.
      if (isTrpc && route.methods.includes(method)) continue;
      const allowed = route.methods.includes(method);
      const known = allowed
        ? routeAnswer(route.pattern, method)
        : { status: 405, sentence: new RegExp(`${method} is not allowed here; this address accepts`) };
      cross((host, origin, site, credential) =>
        cells.push({
          target: `${method} ${route.pattern}`,
          method,
          path,
          host,
          origin,
          site,
          credential,
          contentType: method === 'GET' ? null : 'application/json',
          body: method === 'GET' ? null : '{}',
          passStatus: [known.status],
          passSentence: known.sentence,
          page: false,
        }),
      );
    }
  }
  // Batches: tRPC splits the decoded path, so every separator counts; 20 calls pass, 21 do not.
  for (const sep of BATCH_SEPARATORS) {
    for (const n of [20, 21, 1000]) {
      cross((host, origin, site, credential) =>
        cells.push({
          target: `batch of ${n} (${sep})`,
          method: 'GET',
          path: batchPath(n, sep),
          host,
          origin,
          site,
          credential,
          contentType: null,
          body: null,
          passStatus: [200],
          passSentence: /"result"/,
          page: false,
          overBatch: n > 20,
        }),
      );
      cross((host, origin, site, credential) =>
        cells.push({
          target: `POST batch of ${n} (${sep})`,
          method: 'POST',
          path: batchPath(n, sep).replace('vt.settings', 'vt.removeApiKey').split('?')[0]! + '?batch=1',
          host,
          origin,
          site,
          credential,
          contentType: 'application/json',
          body: '{}',
          // A mutation batched with queries: tRPC answers each call (405 for the queries sent by POST).
          passStatus: [200, 207, 400, 405],
          passSentence: null,
          page: false,
          overBatch: n > 20,
        }),
      );
    }
  }
  // Trailing slashes: the gate answers first (421/403 and the headers), then a 308 to the path
  // without the slash — never Next's own redirect, which came before the gate.
  const slashTargets = [
    ...api.pages.filter((p) => p !== '/').map((p) => ({ label: `page ${p}/`, path: p.replace('[runId]', '999999') })),
    ...api.routes.map((r) => ({
      label: `route ${r.pattern}/`,
      path: r.pattern.replace('[runId]', '999999').replace('[trpc]', 'runs.list'),
    })),
  ];
  for (const t of slashTargets) {
    for (const method of ['GET', 'POST']) {
      cross((host, origin, site, credential) =>
        cells.push({
          target: `${method} ${t.label}`,
          method,
          path: `${t.path}/`,
          host,
          origin,
          site,
          credential,
          contentType: method === 'GET' ? null : 'application/json',
          body: method === 'GET' ? null : '{}',
          passStatus: [308],
          passSentence: null,
          page: false,
          location: t.path,
        }),
      );
    }
  }
  for (const pattern of api.pages) {
    const path = concretePath(pattern);
    cross((host, origin, site, credential) =>
      cells.push({
        target: `page ${pattern}`,
        method: 'GET',
        path,
        host,
        origin,
        site,
        credential,
        contentType: null,
        body: null,
        passStatus: [pattern.includes('[runId]') ? 404 : 200],
        passSentence: null,
        page: true,
      }),
    );
  }
  return cells;
}

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
