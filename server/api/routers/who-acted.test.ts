import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import type { Principal } from '@/server/auth/principal';
import { ingestSnapshot } from '@/server/services/runs';
import { diffSnapshots } from '@/tests/diff-store-suite';
import { closeTestDb, openTestDb } from '@/tests/helpers';

const as = (principal: Principal) => createCaller(createContext({ headers: new Headers(), principal }));

/**
 * One person, one label: a triage decision, a pinned baseline and a token they made name them the
 * same way (issue #18: they used to read "Ann <ann@…>", "ann@…" and "ann@…"; "local user bob",
 * "local" and "local").
 */
describe('who acted: triage, baselines and tokens agree', () => {
  let runA: number;
  let sha256: string;

  beforeAll(async () => {
    process.env.VT_WORKER = 'off';
    const handle = await openTestDb();
    const { first, second } = diffSnapshots('who-host');
    runA = await ingestSnapshot(handle.db, first, 'cli');
    await ingestSnapshot(handle.db, second, 'cli');
    const exe = (await as({ kind: 'local' }).runs.executables({ runId: runA }))[0]!;
    sha256 = exe.sha256;
  });
  afterAll(async () => {
    await closeTestDb();
    delete process.env.VT_WORKER;
  });

  const people: Array<[string, Principal, string]> = [
    [
      'a signed-in admin',
      { kind: 'user', user: { id: 'u-ada', email: 'ada@example.org', name: 'Ada Admin', role: 'admin' } },
      'Ada Admin <ada@example.org>',
    ],
    ['the local person', { kind: 'local' }, `local user ${os.userInfo().username}`],
  ];

  for (const [who, principal, label] of people) {
    it(who, async () => {
      const api = as(principal);
      const decided = await api.triage.set({ sha256, decision: 'benign' });
      expect(decided?.decidedBy).toBe(label);
      expect((await api.diff.pinBaseline({ runId: runA })).pinnedBy).toBe(label);
      const name = `by-${principal.kind}`;
      await api.tokens.create({ name });
      expect((await api.tokens.list()).find((t) => t.name === name)?.createdBy).toBe(label);
    });
  }
});
