import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { verifyAgentToken } from '@/server/auth/agent-tokens';
import { getAuth } from '@/server/auth/auth';
import { createPerson } from '@/server/auth/users';
import { makeSnapshot } from '@/tests/fixtures';
import { HOSTED_URL, sessionCookie, TEST_PASSWORD, setUpHostedPostgres } from '@/tests/hosted-db';

/**
 * Issue 17 item 12: a token dies with its owner. Whoever removes or bans the admin who owns a
 * token (Better Auth's admin API, or a row deleted by hand), the token stops authenticating where
 * it is verified; another admin can take it over, and then it works again.
 */
const PASSWORD = TEST_PASSWORD;
const BASE = HOSTED_URL;

describe('agent tokens belong to an admin and die with them', () => {
  const hostedDb = setUpHostedPostgres({ INGEST_VT_CHECK: 'off' });
  let handle: DbHandle;
  let snapshotSeq = 0;
  beforeAll(() => {
    handle = hostedDb();
  });

  async function session(email: string): Promise<Headers> {
    return new Headers({ cookie: await sessionCookie(email), origin: BASE });
  }

  async function admin(email: string) {
    const u = await createPerson({ email, role: 'admin', password: PASSWORD });
    const headers = await session(email);
    return { id: u.id, email, headers, caller: createCaller(createContext({ headers })) };
  }

  async function ingest(token: string): Promise<number> {
    const { POST } = await import('@/app/api/ingest/route');
    snapshotSeq++;
    const res = await POST(
      new Request(`${BASE}/api/ingest`, {
        method: 'POST',
        headers: { host: new URL(BASE).host, 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          ...makeSnapshot({ n: 2, distinct: 1, hostKey: 'owner-host', hostname: 'owner-host' }),
          snapshotId: `0b0c6f0e-1d2a-4c3b-9e8f-${String(snapshotSeq).padStart(12, '0')}`,
          agentVersion: '0.1.0',
        }),
      }),
      {},
    );
    return res.status;
  }

  it('a token made by an admin who is then removed gets 401; re-assigned to another admin it works again', async () => {
    const ana = await admin('ana@example.org');
    const bo = await admin('bo@example.org');
    const { token } = await ana.caller.tokens.create({ name: 'ana-fleet' });
    expect(await ingest(token)).toBe(201);
    expect((await bo.caller.tokens.list()).find((t) => t.name === 'ana-fleet')).toMatchObject({
      owner: 'ana@example.org',
      status: 'active',
    });

    // Bo removes Ana through Better Auth's admin API (what a Users page or a script would call).
    const auth = await getAuth();
    await auth.api.removeUser({ body: { userId: ana.id }, headers: bo.headers });
    expect(await ingest(token)).toBe(401);
    expect(await verifyAgentToken(handle.db, token)).toBeNull();
    expect((await bo.caller.tokens.list()).find((t) => t.name === 'ana-fleet')).toMatchObject({
      owner: 'ana@example.org',
      status: 'owner-removed',
    });

    await bo.caller.tokens.reassign({ name: 'ana-fleet', toEmail: 'bo@example.org' });
    expect(await ingest(token)).toBe(201);
    expect((await bo.caller.tokens.list()).find((t) => t.name === 'ana-fleet')).toMatchObject({
      owner: 'bo@example.org',
      status: 'active',
    });
  });

  it('a banned owner stops their tokens until the ban is lifted; a row deleted by hand does too', async () => {
    const cy = await admin('cy@example.org');
    const di = await admin('di@example.org');
    const { token } = await cy.caller.tokens.create({ name: 'cy-fleet' });
    const auth = await getAuth();
    await auth.api.banUser({ body: { userId: cy.id }, headers: di.headers });
    expect(await ingest(token)).toBe(401);
    expect((await di.caller.tokens.list()).find((t) => t.name === 'cy-fleet')).toMatchObject({
      status: 'owner-banned',
    });
    await auth.api.unbanUser({ body: { userId: cy.id }, headers: di.headers });
    expect(await ingest(token)).toBe(201);

    // No API at all: the row goes (a restore, a manual clean-up). The check is where tokens are verified.
    await handle.db.execute(sql`delete from "user" where id = ${cy.id}`);
    expect(await ingest(token)).toBe(401);
  });

  it('an owner who is no longer an admin stops their tokens', async () => {
    const ed = await admin('ed@example.org');
    const fay = await admin('fay@example.org');
    const { token } = await ed.caller.tokens.create({ name: 'ed-fleet' });
    const auth = await getAuth();
    await auth.api.setRole({ body: { userId: ed.id, role: 'viewer' }, headers: fay.headers });
    expect(await ingest(token)).toBe(401);
    expect((await fay.caller.tokens.list()).find((t) => t.name === 'ed-fleet')).toMatchObject({
      status: 'owner-not-admin',
    });
  });

  it('re-assigns only to an admin in good standing, and never a revoked token, with a sentence', async () => {
    const gus = await admin('gus@example.org');
    await createPerson({ email: 'vera@example.org', role: 'viewer', password: PASSWORD });
    await gus.caller.tokens.create({ name: 'gus-fleet' });
    // The Re-assign list offers admins in good standing only.
    const offered = (await gus.caller.tokens.owners()).map((o) => o.email);
    expect(offered).toContain('gus@example.org');
    expect(offered).not.toContain('vera@example.org');
    expect(offered).not.toContain('ed@example.org');
    await expect(gus.caller.tokens.reassign({ name: 'gus-fleet', toEmail: 'vera@example.org' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/vera@example.org is not an admin/),
    });
    await expect(
      gus.caller.tokens.reassign({ name: 'gus-fleet', toEmail: 'nobody@example.org' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/No one has the email/) });
    await expect(gus.caller.tokens.reassign({ name: 'no-such', toEmail: 'gus@example.org' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await gus.caller.tokens.revoke({ name: 'gus-fleet' });
    await expect(gus.caller.tokens.reassign({ name: 'gus-fleet', toEmail: 'gus@example.org' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Nothing was written by the refusals.
    expect((await gus.caller.tokens.list()).find((t) => t.name === 'gus-fleet')).toMatchObject({
      owner: 'gus@example.org',
      status: 'revoked',
    });
  });
});
