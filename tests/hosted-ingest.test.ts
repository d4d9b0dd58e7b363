import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { listRuns } from '@/db/queries/runs';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { createAgentToken, verifyAgentToken } from '@/server/auth/agent-tokens';
import { createPerson } from '@/server/auth/users';
import { resetEnvForTests } from '@/lib/env';
import { prevalence } from '@/server/services/fleet';
import { principals } from '@/tests/access-matrix';
import { makeSnapshot } from '@/tests/fixtures';
import { TEST_PASSWORD as PASSWORD, setUpHostedPostgres } from '@/tests/hosted-db';

/**
 * Agents in hosted mode: tokens made by an admin (shown once, stored hashed, revocable), snapshots
 * pushed to /api/ingest (stored once, bad ones refused with a sentence), and the fleet's
 * prevalence they add up to.
 */
describe('hosted mode on PostgreSQL: agent tokens and ingest', () => {
  const hostedDb = setUpHostedPostgres({ INGEST_VT_CHECK: 'off' });
  let handle: DbHandle;
  beforeAll(() => {
    handle = hostedDb();
  });

  const ingest = async (token: string, body: unknown, raw?: string) => {
    const { POST } = await import('@/app/api/ingest/route');
    return POST(
      new Request('http://127.0.0.1:3999/api/ingest', {
        method: 'POST',
        headers: { host: '127.0.0.1:3999', 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: raw ?? JSON.stringify(body),
      }),
      {},
    );
  };
  const counts = async () => {
    const r = await handle.db.execute(
      sql`select (select count(*) from runs)::int as runs, (select count(*) from run_processes)::int as procs,
                 (select count(*) from hosts)::int as hosts, (select count(*) from ingested_snapshots)::int as snaps`,
    );
    return (r as unknown as { rows: unknown[] }).rows[0];
  };
  const agentSnap = (snapshotId: string, hostname: string, over: Record<string, unknown> = {}) => ({
    ...makeSnapshot({ n: 4, distinct: 2, hostKey: `key-${hostname}`, hostname }),
    snapshotId,
    agentVersion: '0.1.0',
    ...over,
  });

  it('a token is shown once, stored hashed, usable until revoked', async () => {
    // A token belongs to the admin who made it and works only while they are one: a real person.
    const made = await createPerson({ email: 'token-admin@example.org', role: 'admin', password: PASSWORD });
    const caller = createCaller(
      createContext({
        headers: new Headers(),
        principal: { kind: 'user', user: { id: made.id, email: made.email, name: 'token-admin', role: 'admin' } },
      }),
    );
    const { token, prefix } = await caller.tokens.create({ name: 'web-fleet' });
    expect(token).toMatch(/^plt_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    const stored = await handle.db.execute(sql`select token_hash from agent_tokens where name = 'web-fleet'`);
    expect(JSON.stringify(stored)).not.toContain(token);
    const list = await caller.tokens.list();
    expect(list.find((t) => t.name === 'web-fleet')).toMatchObject({ prefix, revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(token);
    await expect(caller.tokens.create({ name: 'web-fleet' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await verifyAgentToken(handle.db, token)).toMatchObject({ name: 'web-fleet' });
    await caller.tokens.revoke({ name: 'web-fleet' });
    expect(await verifyAgentToken(handle.db, token)).toBeNull();
    const res = await ingest(token, agentSnap('7b0c6f0e-1d2a-4c3b-9e8f-000000000001', 'h1'));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('token invalid or revoked');
    await expect(caller.tokens.revoke({ name: 'web-fleet' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stores a snapshot once: a replayed snapshot id answers with the same run and writes nothing', async () => {
    const { token } = await createAgentToken(handle.db, 'replay', null);
    const id = '7b0c6f0e-1d2a-4c3b-9e8f-000000000002';
    const first = await ingest(token, agentSnap(id, 'replay-host'));
    expect(first.status).toBe(201);
    const { runId } = (await first.json()) as { runId: number };
    const before = await counts();
    const again = await Promise.all([
      ingest(token, agentSnap(id, 'replay-host')),
      ingest(token, agentSnap(id, 'replay-host')),
    ]);
    for (const r of again) {
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ runId, replayed: true });
    }
    expect(await counts()).toEqual(before);
    const hosts = await createCaller(
      createContext({ headers: new Headers(), principal: principals.viewer }),
    ).fleet.hosts();
    expect(hosts.find((h) => h.hostname === 'replay-host')).toMatchObject({
      agentVersion: '0.1.0',
      processes: 5,
      lastRunId: runId,
    });
  });

  it('bad payloads get a sentence and write nothing', async () => {
    const { token } = await createAgentToken(handle.db, 'bad-input', null);
    const before = await counts();
    const cases: Array<[unknown, string | undefined, number, RegExp]> = [
      [null, '{not json', 400, /not valid JSON/],
      [agentSnap('not-a-uuid', 'b1'), undefined, 400, /snapshotId: must be a UUID/],
      [
        agentSnap('7b0c6f0e-1d2a-4c3b-9e8f-000000000003', 'b2', {
          processes: [{ ...makeSnapshot().processes[0], hashes: { md5: 'x', sha1: 'y', sha256: 'z', size: 1 } }],
        }),
        undefined,
        400,
        /must be 32 lowercase hex digits/,
      ],
      [{ snapshotId: '7b0c6f0e-1d2a-4c3b-9e8f-000000000004' }, undefined, 400, /invalid/],
    ];
    for (const [body, raw, status, message] of cases) {
      const res = await ingest(token, body, raw);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    process.env.INGEST_MAX_PROCESSES = '3';
    resetEnvForTests();
    try {
      const res = await ingest(token, agentSnap('7b0c6f0e-1d2a-4c3b-9e8f-000000000005', 'b3'));
      expect(res.status).toBe(413);
    } finally {
      delete process.env.INGEST_MAX_PROCESSES;
      resetEnvForTests();
    }
    const wrongType = await (
      await import('@/app/api/ingest/route')
    ).POST(
      new Request('http://127.0.0.1:3999/api/ingest', {
        method: 'POST',
        headers: { host: '127.0.0.1:3999', authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body: '{}',
      }),
      {},
    );
    expect(wrongType.status).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it("counts prevalence across a seeded fleet, fewest hosts first, and opens a hash's hosts", async () => {
    const { token } = await createAgentToken(handle.db, 'fleet', null);
    // Three hosts share exe-0 and exe-1; exe-9 runs on one host only.
    for (const [i, name] of ['fleet-a', 'fleet-b', 'fleet-c'].entries()) {
      const s = agentSnap(`7b0c6f0e-1d2a-4c3b-9e8f-00000000010${i}`, name);
      if (name === 'fleet-c')
        s.processes.push({
          ...s.processes[0]!,
          pid: 999,
          name: 'rare',
          exe: '/tmp/rare',
          hashes: { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: '9'.repeat(64), size: 5 },
        });
      expect((await ingest(token, s)).status).toBe(201);
    }
    // A later snapshot of fleet-a changes nothing about who ever ran what.
    expect(
      (
        await ingest(
          token,
          agentSnap('7b0c6f0e-1d2a-4c3b-9e8f-000000000110', 'fleet-a', { startedAt: '2026-11-25T10:00:00Z' }),
        )
      ).status,
    ).toBe(201);
    const rows = await prevalence(handle.db, { sort: 'hosts', limit: 100 });
    const rare = rows.find((r) => r.sha256 === '9'.repeat(64));
    expect(rare).toMatchObject({ hosts: 1, processes: 1, names: ['rare'], paths: ['/tmp/rare'], verdict: null });
    expect(rows[0]!.hosts).toBeLessThanOrEqual(rows[rows.length - 1]!.hosts);
    const sharedSha = makeSnapshot().processes[0]!.hashes!.sha256;
    const shared = rows.find((r) => r.sha256 === sharedSha)!;
    // replay-host and the three fleet hosts ran it (2 processes each).
    expect(shared.hosts).toBe(4);
    expect(shared.processes).toBe(8);
    const rare1 = await prevalence(handle.db, { sort: 'hosts', maxHosts: 1, limit: 100 });
    expect(rare1.every((r) => r.hosts <= 1)).toBe(true);
    const caller = createCaller(createContext({ headers: new Headers(), principal: principals.viewer }));
    const usage = await caller.fleet.hash({ sha256: '9'.repeat(64) });
    expect(usage.hosts.map((h) => h.hostname)).toEqual(['fleet-c']);
    expect(usage.processes).toEqual([expect.objectContaining({ hostname: 'fleet-c', pid: 999, name: 'rare' })]);
    expect((await listRuns(handle.db, { limit: 50, host: 'fleet-a' })).length).toBe(2);
  });
});
