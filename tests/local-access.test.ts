import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_REQUIRED, localAccessCookieName, localAccessCookieValue } from '@/domain/local-access';
import { ensureLocalSecret } from '@/server/auth/local-access';
import { resetEnvForTests } from '@/lib/env';
import { ingestSnapshot } from '@/server/services/runs';
import { callerFor, rejection } from '@/tests/caller';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';

/**
 * Issue #17, item 11: in local mode any account on the machine could call the API on 127.0.0.1.
 * The `local` principal is now granted only with the access token (cookie or bearer), so a
 * procedure or a route reached without the proxy in front is refused all the same.
 */
describe('local mode: the local person is whoever holds the access token', () => {
  let dataDir: string;
  let secret: string;
  let runId: number;
  const PORT = 3000;

  beforeAll(async () => {
    process.env.VT_WORKER = 'off';
    const handle = await openTestDb();
    dataDir = process.env.DATA_DIR!;
    runId = await ingestSnapshot(handle.db, makeSnapshot({ n: 3, distinct: 2 }), 'cli');
    secret = ensureLocalSecret(dataDir);
  });
  afterEach(() => {
    delete process.env.PROCLENS_LOCAL_AUTH;
    resetEnvForTests();
  });
  afterAll(async () => {
    await closeTestDb();
    delete process.env.VT_WORKER;
  });

  const cookie = (value: string) => ({ cookie: `theme=dark; ${localAccessCookieName(PORT)}=${value}` });

  it('a procedure without the token: 401 with the sentence that says where the link is', async () => {
    expect(await rejection(callerFor({}).runs.list(), 'UNAUTHORIZED')).toBe(LOCAL_ACCESS_REQUIRED);
    expect(await rejection(callerFor({}).vt.removeApiKey(), 'UNAUTHORIZED')).toBe(LOCAL_ACCESS_REQUIRED);
    expect(await rejection(callerFor({}).vt.updateSettings({ maliciousThreshold: 1000 }), 'UNAUTHORIZED')).toBe(
      LOCAL_ACCESS_REQUIRED,
    );
  });

  it('a wrong token, a cookie for another port, the secret as the cookie: 401', async () => {
    for (const headers of [
      { authorization: `Bearer ${secret.slice(0, -1)}x` },
      { authorization: 'Bearer plt_an-agent-token' },
      { authorization: `Bearer ${'a'.repeat(100_000)}` },
      cookie('forged'),
      cookie(secret),
      { cookie: `${localAccessCookieName(PORT + 1)}=${localAccessCookieValue(secret)}` },
    ]) {
      await rejection(callerFor(headers).runs.list(), 'UNAUTHORIZED');
    }
  });

  it('with the cookie the link sets, or the secret as a bearer token: allowed', async () => {
    expect((await callerFor(cookie(localAccessCookieValue(secret))).runs.list()).map((r) => r.id)).toContain(runId);
    expect((await callerFor({ authorization: `Bearer ${secret}` }).runs.list()).map((r) => r.id)).toContain(runId);
    expect((await callerFor({ authorization: `bearer   ${secret}` }).system.me()).mode).toBe('local');
  });

  it('route handlers apply the same rule: 401 without the token, the file with it', async () => {
    const { GET } = await import('@/app/api/runs/[runId]/run.json/route');
    const get = (headers: Record<string, string>) =>
      GET(new Request(`http://127.0.0.1:${PORT}/api/runs/${runId}/run.json`, { headers }), {
        params: Promise.resolve({ runId: String(runId) }),
      });
    const anonymous = await get({});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { message: LOCAL_ACCESS_REQUIRED } });
    expect((await get({ authorization: 'Bearer nope' })).status).toBe(401);
    const ok = await get({ authorization: `Bearer ${secret}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).not.toContain(secret);
    const { POST } = await import('@/app/api/imports/route');
    const upload = await POST(
      new Request(`http://127.0.0.1:${PORT}/api/imports`, { method: 'POST', headers: { host: `127.0.0.1:${PORT}` } }),
      undefined,
    );
    expect(upload.status).toBe(401);
  });

  it('PROCLENS_LOCAL_AUTH=off: every local caller is the local person again', async () => {
    process.env.PROCLENS_LOCAL_AUTH = 'off';
    resetEnvForTests();
    expect((await callerFor({}).runs.list()).map((r) => r.id)).toContain(runId);
  });
});
