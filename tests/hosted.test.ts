import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { vtVerdicts } from '@/db/schema';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { getAuth } from '@/server/auth/auth';
import type { Access } from '@/server/auth/principal';
import { createPerson } from '@/server/auth/users';
import { ingestSnapshot } from '@/server/services/runs';
import { expected, principals, ROUTE_METHODS as METHODS, routeFiles, trpcOutcome } from '@/tests/access-matrix';
import { procedureCaller, routerProcedures as procedures } from '@/tests/caller';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { sessionCookie, TEST_PASSWORD as PASSWORD, setUpHostedPostgres } from '@/tests/hosted-db';

describe('hosted mode on PostgreSQL', () => {
  const hostedDb = setUpHostedPostgres({ INGEST_VT_CHECK: 'off' });
  let handle: DbHandle;
  beforeAll(() => {
    handle = hostedDb();
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
          expect(await trpcOutcome(procedureCaller(principals[who], name)), `${name} as ${who}`).toBe(
            expected(access, who),
          );
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
    const signIn = async (email: string) => new Headers({ cookie: await sessionCookie(email) });

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
});
