import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { listRuns } from '@/db/queries/runs';
import { vtVerdicts } from '@/db/schema';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { appRouter, createCaller } from '@/server/api/root';
import { createContext, type Meta } from '@/server/api/trpc';
import { createAgentToken, verifyAgentToken } from '@/server/auth/agent-tokens';
import { getAuth, resetAuthForTests } from '@/server/auth/auth';
import type { Access, Principal } from '@/server/auth/principal';
import { createPerson } from '@/server/auth/users';
import { resetEnvForTests } from '@/lib/env';
import { prevalence } from '@/server/services/fleet';
import { ingestSnapshot } from '@/server/services/runs';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';

const PASSWORD = 'correct horse battery staple';

const principals: Record<'anonymous' | 'viewer' | 'analyst' | 'admin' | 'agent', Principal> = {
  anonymous: { kind: 'anonymous' },
  viewer: { kind: 'user', user: { id: 'v', email: 'v@example.org', name: 'v', role: 'viewer' } },
  analyst: { kind: 'user', user: { id: 'a', email: 'a@example.org', name: 'a', role: 'analyst' } },
  admin: { kind: 'user', user: { id: 'd', email: 'd@example.org', name: 'd', role: 'admin' } },
  agent: { kind: 'agent', tokenId: 1, name: 't' },
};

/** What each caller must get from something that needs `access`. */
function expected(access: Access, who: keyof typeof principals): 'ok' | 401 | 403 {
  if (access === 'public') return 'ok';
  if (who === 'anonymous') return 401;
  if (access === 'agent') return who === 'agent' ? 'ok' : 403;
  if (who === 'agent') return 403;
  const rank = { viewer: 1, analyst: 2, admin: 3 } as const;
  return rank[who] >= rank[access] ? 'ok' : 403;
}

type ProcedureMap = Record<string, { _def: { meta?: Meta } }>;
const procedures = Object.entries((appRouter._def as unknown as { procedures: ProcedureMap }).procedures);

function callerFn(who: Principal, dotted: string): (input?: unknown) => Promise<unknown> {
  let node: unknown = createCaller(createContext({ headers: new Headers(), principal: who }));
  for (const part of dotted.split('.')) node = (node as Record<string, unknown>)[part];
  return node as (input?: unknown) => Promise<unknown>;
}

async function trpcOutcome(fn: (input?: unknown) => Promise<unknown>): Promise<'ok' | 401 | 403> {
  try {
    // An input no schema accepts: a procedure that lets the caller through fails validation (or,
    // without input, simply runs) — never with 401/403.
    await fn(12345);
    return 'ok';
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'UNAUTHORIZED' ? 401 : code === 'FORBIDDEN' ? 403 : 'ok';
  }
}

/** Every route handler file under app/api, with its exported HTTP methods. */
function routeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'route.ts') out.push(full);
    }
  };
  walk(path.resolve('app/api'));
  return out;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

describe('hosted mode on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof startTempPostgres>>;
  let handle: DbHandle;

  beforeAll(async () => {
    pg = await startTempPostgres();
    Object.assign(process.env, {
      PROCLENS_MODE: 'hosted',
      AUTH_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      PROCLENS_PUBLIC_URL: 'http://127.0.0.1:3999',
      INGEST_VT_CHECK: 'off',
    });
    resetEnvForTests();
    resetAuthForTests();
    handle = await openTestDb({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    resetAuthForTests();
    await closeTestDb();
    for (const k of ['PROCLENS_MODE', 'AUTH_SECRET', 'PROCLENS_PUBLIC_URL', 'INGEST_VT_CHECK']) delete process.env[k];
    resetEnvForTests();
    await pg?.stop();
  });

  describe('the 401/403 matrix, generated from the router', () => {
    it('every procedure declares what it needs', () => {
      expect(procedures.length).toBeGreaterThan(20);
      for (const [name, p] of procedures) expect(p._def.meta?.access, name).toBeDefined();
    });

    for (const [name, p] of procedures) {
      it(`${name} (${p._def.meta?.access})`, async () => {
        const access = p._def.meta!.access;
        for (const who of Object.keys(principals) as Array<keyof typeof principals>) {
          expect(await trpcOutcome(callerFn(principals[who], name)), `${name} as ${who}`).toBe(expected(access, who));
        }
      });
    }
  });

  describe('the 401 matrix over every route handler', () => {
    it('every route declares what it needs, and answers an anonymous request with 401 unless public', async () => {
      const files = routeFiles();
      expect(files.length).toBeGreaterThanOrEqual(8);
      for (const file of files) {
        const mod = (await import(file)) as Record<string, unknown>;
        const handlers = METHODS.filter((m) => typeof mod[m] === 'function');
        expect(handlers.length, file).toBeGreaterThan(0);
        for (const m of handlers) {
          const h = mod[m] as ((req: Request, ctx: unknown) => Promise<Response> | Response) & { access?: Access };
          if (h.access === 'public') continue;
          const req = new Request('http://127.0.0.1:3999/api/x', {
            method: m,
            headers: { host: '127.0.0.1:3999', 'content-type': 'application/json' },
            body: m === 'GET' ? undefined : '{}',
          });
          const res = await h(req, { params: Promise.resolve({ runId: '1', all: ['x'] }) });
          // A handler either declares what it needs, or is a method the route refuses (405) for everyone.
          expect(h.access === undefined ? 405 : 401, `${file} ${m}`).toBe(res.status);
        }
      }
    });
  });

  describe('people', () => {
    async function signIn(email: string): Promise<Headers> {
      const auth = await getAuth();
      const res = await auth.handler(
        new Request('http://127.0.0.1:3999/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:3999' },
          body: JSON.stringify({ email, password: PASSWORD }),
        }),
      );
      expect(res.status).toBe(200);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return new Headers({ cookie });
    }

    it('signs in with email + password; the session carries the role; a viewer may read but not collect', async () => {
      await createPerson({ email: 'Viewer@Example.org', role: 'viewer', password: PASSWORD });
      const headers = await signIn('viewer@example.org');
      const caller = createCaller(createContext({ headers }));
      expect(await caller.system.me()).toMatchObject({
        mode: 'hosted',
        user: { email: 'viewer@example.org', role: 'viewer' },
      });
      await expect(caller.runs.list()).resolves.toBeInstanceOf(Array);
      await expect(caller.runs.collect({ minMemoryPercent: 0 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const anon = createCaller(createContext({ headers: new Headers() }));
      await expect(anon.runs.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect(await anon.system.me()).toMatchObject({ user: null });
    });

    it('refuses a wrong password, a duplicate email and an unknown role with a sentence', async () => {
      await createPerson({ email: 'admin@example.org', role: 'admin', password: PASSWORD });
      await expect(createPerson({ email: 'admin@example.org', role: 'admin', password: PASSWORD })).rejects.toThrow(
        /already exists/,
      );
      await expect(createPerson({ email: 'x@example.org', role: 'root', password: PASSWORD })).rejects.toThrow(
        /admin, analyst, viewer/,
      );
      await expect(createPerson({ email: 'y@example.org', role: 'viewer', password: 'short' })).rejects.toThrow(
        /at least 12/,
      );
      const auth = await getAuth();
      const res = await auth.handler(
        new Request('http://127.0.0.1:3999/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:3999' },
          body: JSON.stringify({ email: 'admin@example.org', password: 'wrong password here' }),
        }),
      );
      expect(res.status).toBe(401);
    });

    it('triage: a viewer reads decisions but may not set one; an analyst sets it and is recorded by name and email', async () => {
      await createPerson({ email: 'tri-viewer@example.org', role: 'viewer', password: PASSWORD });
      await createPerson({
        email: 'tri-analyst@example.org',
        role: 'analyst',
        name: 'Tia Analyst',
        password: PASSWORD,
      });
      const viewer = createCaller(createContext({ headers: await signIn('tri-viewer@example.org') }));
      const analyst = createCaller(createContext({ headers: await signIn('tri-analyst@example.org') }));
      const snap = makeSnapshot({ n: 2, distinct: 2, hostKey: 'triage-hosted', hostname: 'triage-hosted' });
      const [flagged, other] = ['hosted-flagged', 'hosted-other'].map((seed) => fakeHashes(seed));
      snap.processes[0]!.hashes = flagged!;
      snap.processes[1]!.hashes = other!;
      const runId = await ingestSnapshot(handle.db, snap, 'cli');
      const verdict = { found: true, fetchedAt: new Date(), totalEngines: 70, stats: {}, engines: [] };
      await handle.db.insert(vtVerdicts).values([
        { ...verdict, sha256: flagged!.sha256, vtScore: 3, threatLabel: null },
        { ...verdict, sha256: other!.sha256, vtScore: 1, threatLabel: null },
      ]);

      expect((await viewer.triage.forRun({ runId })).canEdit).toBe(false);
      await expect(viewer.triage.set({ sha256: flagged!.sha256, decision: 'benign' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect((await analyst.triage.forRun({ runId })).canEdit).toBe(true);
      const untriagedBefore = await viewer.fleet.prevalence({ untriaged: true });
      expect(untriagedBefore.map((r) => r.sha256)).toEqual(expect.arrayContaining([flagged!.sha256, other!.sha256]));

      const saved = await analyst.triage.set({ sha256: flagged!.sha256, decision: 'malicious', note: 'beacon' });
      expect(saved).toMatchObject({ decision: 'malicious', decidedBy: 'Tia Analyst <tri-analyst@example.org>' });
      const seen = await viewer.triage.forRun({ runId });
      expect(seen.decisions).toEqual([
        expect.objectContaining({ sha256: flagged!.sha256, decidedBy: 'Tia Analyst <tri-analyst@example.org>' }),
      ]);
      // Prevalence shows the decision, and the untriaged filter drops the decided hash only.
      const row = (await viewer.fleet.prevalence()).find((r) => r.sha256 === flagged!.sha256);
      expect(row).toMatchObject({ vtScore: 3, triage: { decision: 'malicious', note: 'beacon' } });
      const untriaged = (await viewer.fleet.prevalence({ untriaged: true })).map((r) => r.sha256);
      expect(untriaged).toContain(other!.sha256);
      expect(untriaged).not.toContain(flagged!.sha256);
      expect(untriaged.length).toBe(untriagedBefore.length - 1);
    });
  });

  describe('agent tokens and ingest', () => {
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
});
