import { afterAll, beforeAll, expect } from 'vitest';
import type { DbHandle } from '@/db';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { getAuth, resetAuthForTests } from '@/server/auth/auth';
import { resetEnvForTests } from '@/lib/env';
import { closeTestDb, openTestDb } from '@/tests/helpers';

/** Where a hosted-mode test server says it answers (PROCLENS_PUBLIC_URL), and the password its people get. */
export const HOSTED_URL = 'http://127.0.0.1:3999';
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Hosted mode on a throwaway PostgreSQL cluster for the calling test file (or describe block): the
 * environment set (plus `env`), the env and auth caches reset, the database migrated; all undone
 * afterwards. Returns the open database, valid inside the tests.
 */
export function setUpHostedPostgres(env: Record<string, string> = {}): () => DbHandle {
  const vars = {
    PROCLENS_MODE: 'hosted',
    AUTH_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    PROCLENS_PUBLIC_URL: HOSTED_URL,
    ...env,
  };
  let pg: Awaited<ReturnType<typeof startTempPostgres>> | undefined;
  let handle: DbHandle | undefined;
  beforeAll(async () => {
    pg = await startTempPostgres();
    Object.assign(process.env, vars);
    resetEnvForTests();
    resetAuthForTests();
    handle = await openTestDb({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    resetAuthForTests();
    await closeTestDb();
    for (const k of Object.keys(vars)) delete process.env[k];
    resetEnvForTests();
    await pg?.stop();
  });
  return () => {
    if (!handle) throw new Error('the hosted test database is open only inside the tests');
    return handle;
  };
}

/** Signs a person in with email + password through Better Auth; returns the session's Cookie header. */
export async function sessionCookie(email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await (
    await getAuth()
  ).handler(
    new Request(`${HOSTED_URL}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: HOSTED_URL },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
