import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { SIGN_IN_THROTTLE } from '../domain/sign-in-throttle';
import { startTempPostgres, type TempPostgres } from '../scripts/test/pg-cluster';
import { mostEvaluatedIn } from '../tests/sign-in';
import { freePort, startServer, waitHealthy, type ServerProcess } from './server-process';

/**
 * Sign-in throttling over real HTTP against `node scripts/start.mjs` (hosted, PostgreSQL), with
 * spoofed headers. Linux answers on all of 127/8, so a client that binds 127.0.0.2 or 127.0.0.3 is
 * a different TCP peer: that is how "another address" is made here. TRUSTED_PROXIES=127.0.0.1
 * plays the nginx in front; 127.0.0.2 and 127.0.0.3 are untrusted clients.
 */
const PASSWORD = 'e2e password for sign-in';
const VICTIM = 'victim@example.org';
const BYSTANDER = 'bystander@example.org';

let pgc: TempPostgres;
let server: ServerProcess;
let url: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-throttle-e2e-'));

interface Answer {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

/** POST /api/auth/sign-in/email from a chosen local address, with any headers a client may send. */
function signIn(from: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/auth/sign-in/email`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] as string }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function proclens(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/proclens.mjs', ...args],
      { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 240_000 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

/** The server's structured log lines about refused sign-ins. */
function failedSignIns(): Array<{ account?: string; address?: string; msg?: string }> {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { account?: string; address?: string; msg?: string })
    .filter((l) => l.msg === 'sign-in failed');
}

test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  pgc = await startTempPostgres();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const s = await startServer(path.join(tmp, 'data'), {
    PORT: String(port),
    PROCLENS_MODE: 'hosted',
    DATABASE_URL: pgc.url,
    AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789',
    PROCLENS_PUBLIC_URL: url,
    TRUSTED_PROXIES: '127.0.0.1',
    VT_WORKER: 'off',
    INGEST_VT_CHECK: 'off',
  });
  server = { ...s, url };
  await waitHealthy(server, 120_000);
  for (const email of [VICTIM, BYSTANDER]) {
    const made = await proclens(['admin', 'create-user', '--email', email, '--role', 'viewer'], {
      DATABASE_URL: pgc.url,
      PROCLENS_PASSWORD: PASSWORD,
    });
    expect(made.code, made.stderr).toBe(0);
  }
});

test.afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await pgc?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('50 guesses with a new X-Forwarded-For each are throttled; another user at another address signs in', async () => {
  const answers: Answer[] = [];
  const started = Date.now();
  for (let i = 0; i < 50; i++) {
    answers.push(
      await signIn('127.0.0.2', VICTIM, `wrong guess ${i}`, {
        'x-forwarded-for': `198.51.100.${i + 1}`,
        'x-real-ip': `198.51.100.${i + 1}`,
        // The header the server stamps with the TCP peer: a client's own copy must change nothing.
        'x-proclens-peer': '127.0.0.1',
        'x-proclens-client-ip': `198.51.100.${i + 1}`,
      }),
    );
  }
  const bound = mostEvaluatedIn(Date.now() - started);
  const evaluated = answers.filter((a) => a.status === 401).length;
  const throttled = answers.filter((a) => a.status === 429);
  expect(evaluated + throttled.length).toBe(50);
  expect(evaluated).toBeGreaterThanOrEqual(SIGN_IN_THROTTLE.accountFreeFailures + 1);
  expect(evaluated).toBeLessThanOrEqual(bound);
  expect(bound).toBeLessThan(12);
  for (const a of throttled) {
    expect(JSON.parse(a.body)).toMatchObject({
      error: { message: expect.stringMatching(/^Too many sign-in attempts\. Try again in \d+ (second|minute)s?\.$/) },
    });
    expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  }

  // The attacker's failures do not block someone else at another address.
  expect((await signIn('127.0.0.3', BYSTANDER, PASSWORD)).status).toBe(200);

  // Each evaluated guess is logged with the account and the real TCP peer, not the spoofed headers.
  await expect.poll(() => failedSignIns().filter((l) => l.account === VICTIM).length).toBe(evaluated);
  for (const l of failedSignIns().filter((l) => l.account === VICTIM)) expect(l.address).toBe('127.0.0.2');
});

test('one address spraying many accounts is throttled; someone at another address is not', async () => {
  const answers: Answer[] = [];
  const started = Date.now();
  for (let i = 0; i < 30; i++) answers.push(await signIn('127.0.0.4', `sprayed${i}@example.org`, 'Winter2026!'));
  const evaluated = answers.filter((a) => a.status === 401).length;
  expect(evaluated).toBeGreaterThanOrEqual(SIGN_IN_THROTTLE.addressFreeFailures + 1);
  const bound = mostEvaluatedIn(Date.now() - started, 'address');
  expect(evaluated).toBeLessThanOrEqual(bound);
  expect(bound).toBeLessThan(30);
  expect(answers.filter((a) => a.status === 429)).toHaveLength(30 - evaluated);
  expect((await signIn('127.0.0.5', BYSTANDER, PASSWORD)).status).toBe(200);
});

test('guesses at one account from many addresses are throttled; an unknown account is answered the same way', async () => {
  const account = 'nobody-here@example.org';
  const answers: Answer[] = [];
  // Behind the trusted proxy each guess arrives "from" a new client address.
  for (let i = 0; i < 20; i++) {
    answers.push(await signIn('127.0.0.1', account, `guess ${i}`, { 'x-forwarded-for': `203.0.113.${i + 1}` }));
  }
  expect(answers.filter((a) => a.status === 401).length).toBeLessThan(12);
  const last = answers.at(-1)!;
  expect(last.status).toBe(429);
  // The same sentence as for an account that exists: nothing says whether this one does.
  expect(JSON.parse(last.body).error.message).toMatch(/^Too many sign-in attempts\. Try again in/);

  // With the trusted proxy in front, the forwarded address is the one recorded.
  const expected = answers.flatMap((a, i) => (a.status === 401 ? [`203.0.113.${i + 1}`] : []));
  await expect.poll(() => failedSignIns().filter((l) => l.account === account).length).toBe(expected.length);
  expect(
    failedSignIns()
      .filter((l) => l.account === account)
      .map((l) => l.address),
  ).toEqual(expected);
});

test('the sign-in page says when to try again', async ({ page }) => {
  // An account in the middle of its back-off (set in the database: waiting minutes in a test is not an option).
  const client = new pg.Client({ connectionString: pgc.url });
  await client.connect();
  try {
    await client.query(
      `insert into sign_in_throttle (key, failures, blocked_until) values ($1, 9, now() + interval '90 seconds')
       on conflict (key) do update set failures = 9, blocked_until = excluded.blocked_until`,
      [`account:${BYSTANDER}`],
    );
  } finally {
    await client.end();
  }
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(BYSTANDER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Too many' })).toHaveText(
    'Too many sign-in attempts. Try again in 2 minutes.',
  );
});
