import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { createFakeVt, type FakeVt } from './fake-vt/server';
import { authHeaders, startServer, trpc, waitHealthy, type ServerProcess } from './server-process';

/**
 * Robustness of the production server: crashes in the middle of a VirusTotal check, secrets in
 * logs, hostile requests, a database that is not there, and concurrent load. Each test runs its
 * own server (and fake VirusTotal) so it can be killed without disturbing the others.
 */
const KEY = 'reliability-key-9d8c7b6a5f4e';
const servers: ServerProcess[] = [];
let fake: FakeVt;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  fake = await createFakeVt({ apiKey: KEY, perMinute: 0, perDay: 0 });
});
test.afterAll(async () => {
  for (const s of servers) s.child.kill('SIGKILL');
  await fake.close();
});

async function server(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServer(dataDir, { VT_BASE_URL: fake.url, VT_API_KEY: KEY, LOG_LEVEL: 'debug', ...env });
  servers.push(s);
  await waitHealthy(s);
  return s;
}

interface Status {
  check: { status: string } | null;
  total: number;
  checked: number;
  pending: number;
}

test('SIGKILL during a VirusTotal check: after restart it completes, no hash lost, none asked twice', async () => {
  // Collection, a kill and a restart: whole processes, beside other specs on two cores.
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-rel-'));
  // One request every 1.5 s: the kill lands while the worker waits for its next slot.
  const a = await server(dataDir, { VT_REQUESTS_PER_MINUTE: '40' });
  const { runId } = await trpc<{ runId: number }>(a.url, 'runs.collect', { minMemoryPercent: 0 }, 'POST');
  await expect
    .poll(async () => (await trpc<{ status: string }>(a.url, 'runs.byId', { runId })).status, { timeout: 60_000 })
    .toBe('completed');
  fake.reset();
  const { uncached } = await trpc<{ uncached: number }>(a.url, 'vt.check', { runId }, 'POST');
  expect(uncached).toBeGreaterThanOrEqual(3);
  await expect.poll(() => fake.requests(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await new Promise((r) => setTimeout(r, 500));
  a.child.kill('SIGKILL');
  await a.exited;
  const asked = fake.requests();
  expect(asked).toBeLessThan(uncached);

  // After the restart the pace no longer matters (how many hashes are uncached depends on what this
  // machine runs); what is checked is that none is lost and none asked twice.
  const b = await server(dataDir, { VT_REQUESTS_PER_MINUTE: '600' });
  await expect
    .poll(async () => (await trpc<Status>(b.url, 'vt.status', { runId })).check?.status, { timeout: 90_000 })
    .toBe('completed');
  const status = await trpc<Status>(b.url, 'vt.status', { runId });
  expect(status).toMatchObject({ checked: uncached, pending: 0 });
  expect(fake.requests()).toBe(uncached);
  for (const n of Object.values(
    fake.requestLog().reduce<Record<string, number>>((m, r) => ({ ...m, [r.hash]: (m[r.hash] ?? 0) + 1 }), {}),
  )) {
    expect(n).toBe(1);
  }
  b.child.kill('SIGTERM');
  await b.exited;
  // The key was in the environment of both servers and in every request they made: not in a log line.
  expect(a.output() + b.output()).not.toContain(KEY);
  expect(b.output()).toMatch(/"level":/); // debug logging really was on
});

test('hostile and malformed requests get a 4xx with a sentence, never a 500 or a stack trace', async ({ request }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-bad-'));
  const s = await server(dataDir);
  const probes: Array<{ method: 'GET' | 'POST'; url: string; data?: string }> = [
    { method: 'GET', url: '/api/trpc/runs.byId?input=%7Bnot-json' },
    { method: 'GET', url: `/api/trpc/runs.byId?input=${encodeURIComponent('{"json":{"runId":"../../etc/passwd"}}')}` },
    { method: 'GET', url: `/api/trpc/runs.byId?input=${encodeURIComponent('{"json":{"runId":999999}}')}` },
    { method: 'GET', url: `/api/trpc/runs.processes?input=${encodeURIComponent('{"json":{"runId":-1}}')}` },
    { method: 'GET', url: '/api/trpc/no.such.procedure' },
    { method: 'POST', url: '/api/trpc/runs.collect', data: '{"json":{"minMemoryPercent":"lots"}}' },
    { method: 'POST', url: '/api/trpc/runs.collect', data: '{"json":{"minMemoryPercent":1000}}' },
    { method: 'POST', url: '/api/trpc/vt.setApiKey', data: '{"json":{"apiKey":"a b"}}' },
    { method: 'POST', url: '/api/trpc/vt.updateSettings', data: '{"json":{"requestsPerMinute":0}}' },
    {
      method: 'POST',
      url: '/api/trpc/runs.collect',
      data: `{"json":{"minMemoryPercent":"${'x'.repeat(8 * 1024 * 1024)}"}}`,
    },
    { method: 'POST', url: '/api/ingest', data: '{}' },
    { method: 'GET', url: '/api/runs/999999/workbook' },
    { method: 'GET', url: '/api/runs/..%2F..%2Fetc%2Fpasswd/vt-results.txt' },
    { method: 'GET', url: '/api/runs/1e3/processes.csv' },
    { method: 'GET', url: '/api/runs/99999999999999999999/run.json' },
  ];
  for (const p of probes) {
    // As the local person: the probes are meant for the procedures and routes, past the gate.
    const res =
      p.method === 'GET'
        ? await request.get(s.url + p.url, { headers: authHeaders(s.url) })
        : await request.post(s.url + p.url, {
            data: p.data,
            headers: { 'content-type': 'application/json', ...authHeaders(s.url) },
          });
    const body = await res.text();
    expect(res.status(), `${p.method} ${p.url.slice(0, 80)} → ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(res.status(), `${p.method} ${p.url.slice(0, 80)}`).toBeLessThan(500);
    expect(body).not.toMatch(/\bat .+\.(js|ts):\d+/);
    expect(body).not.toContain('"stack"');
    if (res.headers()['content-type']?.includes('json')) expect(body).toMatch(/"message"\s*:\s*"[^"]{8,}/);
  }
  s.child.kill('SIGTERM');
  await s.exited;
});

test('a database that refuses connections stops the server and the CLI with a clear message', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-nodb-'));
  const s = await startServer(dataDir, { DATABASE_URL: 'postgres://proclens:secret-pw@127.0.0.1:9/proclens' });
  servers.push(s);
  expect(await s.exited).not.toBe(0);
  expect(s.output()).toMatch(/ProcLens cannot start: .*DATABASE_URL/);
  expect(s.output()).not.toContain('secret-pw');
});

test('load: 50 concurrent clients × 100 requests mixing reads and collections: no errors, no lost rows', async () => {
  // Bounded (5,000 requests on loopback), but on two shared cores it can take a minute or two.
  test.setTimeout(300_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-load-'));
  const s = await server(dataDir, { LOG_LEVEL: 'warn' });
  const { runId } = await trpc<{ runId: number }>(s.url, 'runs.collect', { minMemoryPercent: 0 }, 'POST');
  await expect
    .poll(async () => (await trpc<{ status: string }>(s.url, 'runs.byId', { runId })).status, { timeout: 60_000 })
    .toBe('completed');
  const reads = [
    `/api/trpc/runs.list?input=${encodeURIComponent('{"json":{"limit":50}}')}`,
    `/api/trpc/runs.byId?input=${encodeURIComponent(`{"json":{"runId":${runId}}}`)}`,
    `/api/trpc/runs.processes?input=${encodeURIComponent(`{"json":{"runId":${runId}}}`)}`,
    `/api/trpc/runs.executables?input=${encodeURIComponent(`{"json":{"runId":${runId}}}`)}`,
    '/api/trpc/vt.quota',
    '/api/health',
  ];
  const latencies: number[] = [];
  let errors = 0;
  const collected = new Set<number>();
  await Promise.all(
    Array.from({ length: 50 }, async (_, client) => {
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        try {
          if ((client * 100 + i) % 250 === 0) {
            const r = await trpc<{ runId: number }>(s.url, 'runs.collect', { minMemoryPercent: 0 }, 'POST');
            collected.add(r.runId);
          } else {
            const res = await fetch(s.url + reads[(client + i) % reads.length]!, { headers: authHeaders(s.url) });
            if (!res.ok) errors++;
            await res.arrayBuffer();
          }
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
  console.log(
    `load: ${latencies.length} requests, ${errors} errors, p50 ${latencies[latencies.length >> 1]!.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
  );
  expect(errors).toBe(0);
  // Every collection asked for is there and complete, with its rows.
  for (const id of collected) {
    await expect
      .poll(async () => (await trpc<{ status: string }>(s.url, 'runs.byId', { runId: id })).status, { timeout: 60_000 })
      .toBe('completed');
    // The whole run travels column by column (domain/row-table.ts): `n` rows.
    const rows = await trpc<{ n: number }>(s.url, 'runs.processes', { runId: id });
    const run = await trpc<{ processCount: number }>(s.url, 'runs.byId', { runId: id });
    expect(rows.n).toBe(run.processCount);
  }
  s.child.kill('SIGTERM');
  await s.exited;
});
