import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { accessToken, startServer, trpc, waitHealthy, type ServerProcess } from './server-process';
import { makeSnapshot } from '../tests/fixtures';

/**
 * Request bodies over real HTTP against the built server (its own process, so its log can be read):
 * every route takes what its limit says — INGEST_MAX_MB for snapshots (default 32 MiB), 25 MB for
 * workbook imports, 1 MiB for tRPC — no more and no less, with a sentence when over; and a client
 * that disconnects mid-upload costs one log line, not an error stack.
 */
const MIB = 2 ** 20;

let server: ServerProcess;
let dataDir: string;
let localToken: string;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-e2e-bodies-'));
  server = await startServer(dataDir, { LOG_LEVEL: 'info' });
  await waitHealthy(server, 120_000);
  localToken = (JSON.parse(fs.readFileSync(path.join(dataDir, 'proclens.lock'), 'utf8')) as { token: string }).token;
});

test.afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The local person's credential (an import needs it; the CLI's hand-over uses the lock token). */
const bearer = () => ({ authorization: `Bearer ${accessToken(dataDir)}` });

/** A valid snapshot of about `mib` MiB: long command lines on many processes. */
function snapshotOf(mib: number): { body: string; processes: number } {
  const base = makeSnapshot({ n: 1, distinct: 1, hostKey: `bodies-${mib}`, hostname: `bodies-${mib}` });
  const template = base.processes[0]!;
  const count = Math.ceil((mib * MIB) / 8300);
  const processes = Array.from({ length: count }, (_, i) => ({
    ...template,
    pid: 1000 + i,
    memoryPercent: 0.01,
    cmdline: `/usr/bin/proc --arg ${crypto.randomBytes(4090).toString('hex')}`.slice(0, 8192),
  }));
  const body = JSON.stringify({ ...base, processes, stats: { ...base.stats, processCount: count } });
  return { body, processes: count };
}

interface Answer {
  status: number;
  body: string;
}

/** One request over a fresh connection; `chunked` sends the body without a Content-Length. */
function send(
  method: string,
  p: string,
  headers: Record<string, string>,
  body: Buffer | string,
  chunked = false,
): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: Number(url.port),
        method,
        path: p,
        agent: false,
        headers: chunked ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    if (chunked) {
      const buf = Buffer.from(body);
      for (let i = 0; i < buf.length; i += MIB) req.write(buf.subarray(i, i + MIB));
      req.end();
    } else req.end(body);
  });
}

const ingest = (body: string, chunked = false) =>
  send(
    'POST',
    '/api/ingest',
    { 'content-type': 'application/json', 'x-proclens-local-token': localToken },
    body,
    chunked,
  );

const message = (a: Answer) => (JSON.parse(a.body) as { error: { message: string } }).error.message;

test('a 20 MiB snapshot is stored whole, declared or chunked (INGEST_MAX_MB defaults to 32)', async () => {
  test.setTimeout(180_000);
  const { body, processes } = snapshotOf(20);
  expect(Buffer.byteLength(body)).toBeGreaterThan(20 * MIB);
  for (const chunked of [false, true]) {
    const res = await ingest(body, chunked);
    expect(res.status, res.body.slice(0, 200)).toBe(201);
    const { runId } = JSON.parse(res.body) as { runId: number };
    const run = await trpc<{ processCount: number }>(server.url, 'runs.byId', { runId });
    expect(run.processCount).toBe(processes);
  }
});

test('a snapshot over INGEST_MAX_MB is a 413 with a sentence, declared or counted', async () => {
  test.setTimeout(120_000);
  const big = 'x'.repeat(33 * MIB);
  for (const chunked of [false, true]) {
    const res = await ingest(big, chunked);
    expect(res.status).toBe(413);
    expect(message(res)).toBe('The snapshot is larger than 32 MiB (INGEST_MAX_MB).');
  }
});

test('an import upload up to 25 MB reaches the workbook reader whole; a larger one is a 413', async () => {
  test.setTimeout(120_000);
  const upload = (bytes: number) => {
    const boundary = 'proclens-e2e-boundary';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.xlsx"\r\ncontent-type: application/octet-stream\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), crypto.randomBytes(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return send(
      'POST',
      '/api/imports',
      { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer() },
      body,
    );
  };
  // 12 MB of random bytes: not a workbook — but read whole, so the reader says so (Next's proxy
  // used to cut the body at 10 MB, and the form itself could not be read).
  const notAWorkbook = await upload(12 * 1_000_000);
  expect(notAWorkbook.status).toBe(400);
  expect(message(notAWorkbook)).not.toMatch(/could not be read as a form/);
  const tooLarge = await upload(25 * MIB + 64 * 1024 + 1);
  expect(tooLarge.status).toBe(413);
  expect(message(tooLarge)).toMatch(/larger than 25 MB; it is not imported/);
});

test('a tRPC body over 1 MiB is a 413, and one without a Content-Length a 411, each with a sentence', async () => {
  const json = { 'content-type': 'application/json' };
  const padded = `{"json":{"minMemoryPercent":50}}${' '.repeat(MIB)}`;
  const over = await send('POST', '/api/trpc/runs.collect', json, padded);
  expect(over.status).toBe(413);
  expect(message(over)).toBe('The request body is larger than this address accepts (1 MiB).');
  // Chunked, a body Next's proxy cut would end cleanly and could parse as a shorter one.
  const chunked = await send('POST', '/api/trpc/runs.collect', json, padded, true);
  expect(chunked.status).toBe(411);
  expect(message(chunked)).toMatch(/Content-Length/);
});

/** Sends the headers and half of a declared body, then closes the connection. */
function abandonUpload(p: string, headers: Record<string, string>, declared: number): Promise<void> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(url.port), url.hostname, () => {
      const head = Object.entries({ host: url.host, 'content-length': String(declared), ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      s.write(`POST ${p} HTTP/1.1\r\n${head}\r\n`);
      s.write(Buffer.alloc(Math.floor(declared / 2), 0x20), () => s.destroy());
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

test('a client that disconnects mid-upload costs one log line, not an error stack', async () => {
  const before = server.output().length;
  await abandonUpload(
    '/api/ingest',
    { 'content-type': 'application/json', 'x-proclens-local-token': localToken },
    4 * MIB,
  );
  await abandonUpload('/api/imports', { 'content-type': 'multipart/form-data; boundary=x', ...bearer() }, 4 * MIB);
  const log = () => server.output().slice(before);
  await expect
    .poll(() => (log().match(/request body cut off: the client went away/g) ?? []).length, { timeout: 30_000 })
    .toBe(2);
  expect(log()).not.toMatch(/uncaughtException|Error: aborted|ECONNRESET'/);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});
