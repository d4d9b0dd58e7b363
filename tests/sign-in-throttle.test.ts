import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { SIGN_IN_THROTTLE } from '@/domain/sign-in-throttle';
import { stampPeerAddresses } from '@/scripts/peer-address.mjs';
import { createPerson } from '@/server/auth/users';
import { logger } from '@/lib/logger';
import { HOSTED_URL, TEST_PASSWORD, setUpHostedPostgres } from '@/tests/hosted-db';
import { mostEvaluatedIn } from '@/tests/sign-in';

/**
 * Issue 17 item 6 over real HTTP: the auth route behind a Node server with the same peer stamp
 * scripts/start.mjs installs, on PostgreSQL, TRUSTED_PROXIES=127.0.0.1. Linux answers on all of
 * 127/8, so a client bound to 127.0.0.2 is another TCP peer than one bound to 127.0.0.3; the
 * "proxy" is 127.0.0.1. Time passes by moving a counter's end of wait to now (the clock is the
 * database's).
 */
const PASSWORD = TEST_PASSWORD;
const PROXY = '127.0.0.1';

interface Answer {
  status: number;
  message: string | undefined;
  retryAfter: number | null;
}

describe('sign-in throttling', () => {
  const hostedDb = setUpHostedPostgres({ TRUSTED_PROXIES: PROXY });
  let handle: DbHandle;
  let server: http.Server;
  let port: number;
  const failed: Array<{ account: string; address: string | null; status: number }> = [];

  beforeAll(async () => {
    handle = hostedDb();
    vi.spyOn(logger, 'warn').mockImplementation(((obj: unknown, msg?: string) => {
      if (msg === 'sign-in failed') failed.push(obj as (typeof failed)[number]);
    }) as typeof logger.warn);

    stampPeerAddresses();
    const { POST } = await import('@/app/api/auth/[...all]/route');
    // As Next does: the route's Request is built from the Node request's (stamped) headers.
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = await POST(
        new Request(`${HOSTED_URL}${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
        {},
      );
      const headers: Record<string, string> = {};
      answer.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    vi.restoreAllMocks();
    server?.close();
  });

  function post(from: string, body: string, headers: Record<string, string> = {}): Promise<Answer & { raw: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/auth/sign-in/email',
          method: 'POST',
          localAddress: from,
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          let raw = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (raw += d));
          res.on('end', () => {
            let message: string | undefined;
            try {
              const j = JSON.parse(raw) as { message?: string; error?: { message?: string } };
              message = j.error?.message ?? j.message;
            } catch {
              message = undefined;
            }
            const ra = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, message, retryAfter: ra ? Number(ra) : null, raw });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const signIn = (from: string, email: string, password: string, headers: Record<string, string> = {}) =>
    post(from, JSON.stringify({ email, password }), headers);

  /** Time passes until this account may try again. */
  const waitOver = (email: string) =>
    handle.db.execute(sql`update sign_in_throttle set blocked_until = now() where key = ${`account:${email}`}`);

  const rows = async () =>
    (
      (await handle.db.execute(sql`select key, failures from sign_in_throttle order by key`)) as unknown as {
        rows: Array<{ key: string; failures: number }>;
      }
    ).rows;

  it('50 guesses with a new X-Forwarded-For each: a handful are evaluated, the rest wait, each failure logged with the real peer', async () => {
    await createPerson({ email: 'victim@example.org', role: 'viewer', password: PASSWORD });
    const answers: Answer[] = [];
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      answers.push(
        await signIn('127.0.0.2', 'victim@example.org', `guess ${i}`, {
          'x-forwarded-for': `198.51.100.${i + 1}`,
          'x-real-ip': `198.51.100.${i + 1}`,
          // The stamp's own header and the one Better Auth reads: a client's copies change nothing.
          'x-proclens-peer': PROXY,
          'x-proclens-client-ip': `198.51.100.${i + 1}`,
        }),
      );
    }
    const bound = mostEvaluatedIn(Date.now() - started);
    const evaluated = answers.filter((a) => a.status === 401);
    const waited = answers.filter((a) => a.status === 429);
    expect(answers.slice(0, SIGN_IN_THROTTLE.accountFreeFailures + 1).every((a) => a.status === 401)).toBe(true);
    expect(evaluated.length).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(12);
    expect(waited.length).toBe(50 - evaluated.length);
    for (const a of waited) {
      expect(a.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds?\.$/);
      expect(a.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(failed.filter((f) => f.account === 'victim@example.org')).toEqual(
      evaluated.map(() => ({ account: 'victim@example.org', address: '127.0.0.2', status: 401 })),
    );
  });

  it('50 guesses at once at one account: no more are evaluated than one after another', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn('127.0.0.6', 'burst@example.org', `guess ${i}`)),
    );
    const evaluated = answers.filter((a) => a.status === 401).length;
    expect(evaluated).toBeGreaterThanOrEqual(SIGN_IN_THROTTLE.accountFreeFailures + 1);
    expect(evaluated).toBeLessThanOrEqual(mostEvaluatedIn(Date.now() - started));
    expect(answers.filter((a) => a.status === 429).length).toBe(50 - evaluated);
  });

  it("one attacker's failures from one address do not block another user at another address", async () => {
    await createPerson({ email: 'bystander@example.org', role: 'viewer', password: PASSWORD });
    const spray: Answer[] = [];
    const started = Date.now();
    for (let i = 0; i < 30; i++) spray.push(await signIn('127.0.0.4', `user${i}@example.org`, 'Winter2026!'));
    // Each account is fresh, so only the address counter stops the spray.
    const evaluated = spray.filter((a) => a.status === 401).length;
    expect(spray.slice(0, SIGN_IN_THROTTLE.addressFreeFailures + 1).every((a) => a.status === 401)).toBe(true);
    const bound = mostEvaluatedIn(Date.now() - started, 'address');
    expect(evaluated).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(30);
    expect(spray.filter((a) => a.status === 429)).toHaveLength(30 - evaluated);
    expect((await signIn('127.0.0.5', 'bystander@example.org', PASSWORD)).status).toBe(200);
    // The sprayer's address waits; the bystander's does not, and neither does their account.
    expect(await rows()).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'address:127.0.0.4' })]));
    expect((await rows()).some((r) => r.key === 'account:bystander@example.org')).toBe(false);
  });

  it('behind the trusted proxy the forwarded address counts; rotating it still meets the account limit', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        await signIn(PROXY, 'proxied@example.org', `guess ${i}`, {
          'x-forwarded-for': `spoofed-by-client, 203.0.113.${i + 1}`,
        }),
      );
    const evaluated = answers.flatMap((a, i) => (a.status === 401 ? [`203.0.113.${i + 1}`] : []));
    expect(evaluated.length).toBeGreaterThanOrEqual(SIGN_IN_THROTTLE.accountFreeFailures + 1);
    expect(evaluated.length).toBeLessThan(12);
    expect(failed.filter((f) => f.account === 'proxied@example.org').map((f) => f.address)).toEqual(evaluated);
    // A proxy that forwards no client address: the proxy itself is never the bucket everyone shares.
    for (let i = 0; i < SIGN_IN_THROTTLE.addressFreeFailures + 5; i++)
      expect((await signIn(PROXY, `noheader${i}@example.org`, 'guess')).status).toBe(401);
    expect((await rows()).some((r) => r.key === `address:${PROXY}`)).toBe(false);
    await createPerson({ email: 'behind-proxy@example.org', role: 'viewer', password: PASSWORD });
    expect((await signIn(PROXY, 'behind-proxy@example.org', PASSWORD)).status).toBe(200);
  });

  it('answers an unknown account exactly as an existing one', async () => {
    await createPerson({ email: 'real@example.org', role: 'viewer', password: PASSWORD });
    const seq = async (email: string, from: string) => {
      const out: Array<[number, string | undefined]> = [];
      for (let i = 0; i <= SIGN_IN_THROTTLE.accountFreeFailures; i++) {
        const a = await signIn(from, email, `guess ${i}`);
        out.push([a.status, a.message]);
      }
      // The same moment of the back-off for both, then one more try.
      await handle.db.execute(
        sql`update sign_in_throttle set blocked_until = now() + interval '30 seconds' where key = ${`account:${email}`}`,
      );
      const a = await signIn(from, email, 'one more');
      out.push([a.status, a.message]);
      return out;
    };
    const unknown = await seq('not-a-user@example.org', '127.0.0.8');
    expect(unknown.at(-1)).toEqual([429, 'Too many sign-in attempts. Try again in 30 seconds.']);
    expect(unknown).toEqual(await seq('real@example.org', '127.0.0.9'));
  });

  it('backs off by doubling from 1 s up to the cap, and a success clears the account', async () => {
    await createPerson({ email: 'typo@example.org', role: 'viewer', password: PASSWORD });
    const remaining = async () =>
      Number(
        (
          (await handle.db.execute(
            sql`select extract(epoch from blocked_until - now())::float8 as s from sign_in_throttle where key = 'account:typo@example.org'`,
          )) as unknown as { rows: Array<{ s: number }> }
        ).rows[0]!.s,
      );
    const expected = [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300];
    for (const wait of expected) {
      await waitOver('typo@example.org');
      const before = Date.now();
      expect((await signIn('127.0.0.10', 'typo@example.org', 'wrong')).status).toBe(401);
      const left = await remaining();
      // The wait starts when the attempt is let in; some of it has passed by the time it is read.
      const passed = (Date.now() - before) / 1000;
      expect(left, `wait ${wait}`).toBeLessThanOrEqual(wait + 0.01);
      expect(left, `wait ${wait}`).toBeGreaterThanOrEqual(wait - passed - 0.01);
    }
    // Waiting: even the right password is not looked at, and the answer says how long.
    const early = await signIn('127.0.0.10', 'typo@example.org', PASSWORD);
    expect(early.status).toBe(429);
    expect(early.retryAfter).toBeGreaterThan(240);
    expect(early.message).toBe('Too many sign-in attempts. Try again in 5 minutes.');
    await waitOver('typo@example.org');
    expect((await signIn('127.0.0.10', 'typo@example.org', PASSWORD)).status).toBe(200);
    expect((await rows()).some((r) => r.key === 'account:typo@example.org')).toBe(false);
    // Free tries again: the next typo is evaluated, not throttled.
    expect((await signIn('127.0.0.10', 'typo@example.org', 'wrong')).status).toBe(401);
  });

  it('forgets a counter an hour after its wait ended', async () => {
    for (let i = 0; i <= SIGN_IN_THROTTLE.accountFreeFailures; i++)
      await signIn('127.0.0.13', 'forgotten@example.org', 'wrong');
    await handle.db.execute(
      sql`update sign_in_throttle set blocked_until = now() - interval '61 minutes' where key = 'account:forgotten@example.org'`,
    );
    expect((await signIn('127.0.0.13', 'forgotten@example.org', 'wrong')).status).toBe(401);
    expect((await rows()).find((r) => r.key === 'account:forgotten@example.org')?.failures).toBe(1);
  });

  it('Better Auth records the real address on the session, not a header the client chose', async () => {
    await createPerson({ email: 'session@example.org', role: 'viewer', password: PASSWORD });
    const ok = await signIn('127.0.0.11', 'session@example.org', PASSWORD, {
      'x-proclens-client-ip': '6.6.6.6',
      'x-forwarded-for': '7.7.7.7',
    });
    expect(ok.status).toBe(200);
    const r = (await handle.db.execute(
      sql`select s.ip_address from session s join "user" u on u.id = s.user_id where u.email = 'session@example.org'`,
    )) as unknown as { rows: Array<{ ip_address: string }> };
    expect(r.rows.map((x) => x.ip_address)).toEqual(['127.0.0.11']);
  });

  it('refuses a malformed sign-in with a sentence and counts nothing', async () => {
    const before = await rows();
    const form = await post('127.0.0.12', 'email=a%40example.org&password=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.message).toMatch(/application\/json/);
    for (const body of ['{not json', '[]', '{"email": 1, "password": "x"}', '{"email": "a@example.org"}']) {
      const a = await post('127.0.0.12', body);
      expect(a.status, body).toBe(400);
      expect(a.message).toMatch(/Send \{"email"/);
    }
    expect((await signIn('127.0.0.12', 'a\u0000@example.org', 'x')).status).toBe(400);
    expect((await signIn('127.0.0.12', `${'a'.repeat(400)}@example.org`, 'x')).status).toBe(400);
    const big = await signIn('127.0.0.12', 'big@example.org', 'x'.repeat(20_000));
    expect(big.status).toBe(413);
    expect(await rows()).toEqual(before);
  });
});
