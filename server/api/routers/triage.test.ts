import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { storeVerdict } from '@/db/queries/vt';
import { TRIAGE_NOTE_MAX } from '@/domain/triage';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import type { Principal } from '@/server/auth/principal';
import { ingestSnapshot } from '@/server/services/runs';
import { callerFor, rejection } from '@/tests/caller';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { setUpRouterDb } from '@/tests/router-db';

const as = (principal: Principal) => createCaller(createContext({ headers: new Headers(), principal }));
const analyst: Principal = {
  kind: 'user',
  user: { id: 'u-ann', email: 'ann@example.org', name: 'Ann Analyst', role: 'analyst' },
};
const viewer: Principal = {
  kind: 'user',
  user: { id: 'u-vic', email: 'vic@example.org', name: 'Vic', role: 'viewer' },
};

/** The triage procedures through the server caller (local mode unless a principal is given). */
describe('triage router', () => {
  let handle: DbHandle;
  let runA: number;
  let runB: number;
  const sha = fakeHashes('exe-0').sha256;
  const api = () => callerFor();
  const routerDb = setUpRouterDb();

  beforeAll(async () => {
    handle = routerDb();
    runA = await ingestSnapshot(handle.db, makeSnapshot({ n: 3, distinct: 2, hostKey: 'h-a', hostname: 'a' }), 'cli');
    runB = await ingestSnapshot(handle.db, makeSnapshot({ n: 1, distinct: 1, hostKey: 'h-b', hostname: 'b' }), 'cli');
    await storeVerdict(handle.db, {
      sha256: sha,
      found: true,
      vtScore: 5,
      totalEngines: 70,
      stats: {},
      engines: [],
      threatLabel: 'x',
      fetchedAt: new Date(),
    });
  });

  it('set: records the local user as the decider; the decision shows on every run with the hash', async () => {
    const saved = await api().triage.set({ sha256: sha, decision: 'false-positive', note: 'ours', basedOn: null });
    expect(saved).toMatchObject({
      decision: 'false-positive',
      note: 'ours',
      decidedBy: `local user ${os.userInfo().username}`,
    });
    for (const runId of [runA, runB]) {
      const r = await api().triage.forRun({ runId });
      expect(r.canEdit).toBe(true);
      expect(r.decisions).toEqual([expect.objectContaining({ sha256: sha, decision: 'false-positive' })]);
    }
    // VirusTotal's view of the hash is unchanged.
    const exe = (await api().runs.executables({ runId: runA })).find((e) => e.sha256 === sha);
    expect(exe?.vt).toMatchObject({ state: 'checked', vtScore: 5, verdict: 'malicious' });
  });

  it('set: a signed-in analyst is recorded by name and email; a stale edit is refused with the current state', async () => {
    const current = (await api().triage.forRun({ runId: runA })).decisions[0]!;
    const saved = await as(analyst).triage.set({
      sha256: sha,
      decision: 'malicious',
      note: '',
      basedOn: current.logId,
    });
    expect(saved).toMatchObject({ decision: 'malicious', decidedBy: 'Ann Analyst <ann@example.org>' });
    const message = await rejection(
      api().triage.set({ sha256: sha, decision: 'benign', basedOn: current.logId }),
      'CONFLICT',
    );
    expect(message).toMatch(/it is now Confirmed malicious by Ann Analyst <ann@example.org> at 20\d\d-/);
    const history = await api().triage.history({ sha256: sha });
    expect(history.map((h) => h.decision)).toEqual(['malicious', 'false-positive']);
  });

  it('viewer: reads decisions and history, sees canEdit false, and may not set or clear', async () => {
    const r = await as(viewer).triage.forRun({ runId: runA });
    expect(r.canEdit).toBe(false);
    expect(r.decisions).toHaveLength(1);
    expect(await as(viewer).triage.history({ sha256: sha })).toHaveLength(2);
    await rejection(as(viewer).triage.set({ sha256: sha, decision: 'benign' }), 'FORBIDDEN');
    await rejection(as(viewer).triage.clear({ sha256: sha }), 'FORBIDDEN');
    await rejection(as({ kind: 'anonymous' }).triage.forRun({ runId: runA }), 'UNAUTHORIZED');
    expect((await api().triage.forRun({ runId: runA })).decisions[0]?.decision).toBe('malicious');
  });

  it('clear: removes the decision everywhere and logs who cleared it', async () => {
    expect(await api().triage.clear({ sha256: sha })).toBeNull();
    expect((await api().triage.forRun({ runId: runB })).decisions).toEqual([]);
    const [latest] = await api().triage.history({ sha256: sha });
    expect(latest).toMatchObject({ decision: null, decidedBy: expect.stringMatching(/^local user /) });
  });

  it('bad input: a sentence naming the field, nothing stored', async () => {
    expect(await rejection(api().triage.set({ sha256: 'ABC', decision: 'benign' }), 'BAD_REQUEST')).toMatch(
      /^sha256: sha256 must be 64 lowercase hex digits/,
    );
    expect(await rejection(api().triage.set({ sha256: sha, decision: 'evil' as 'benign' }), 'BAD_REQUEST')).toMatch(
      /^decision: decision must be one of malicious, false-positive, benign/,
    );
    expect(
      await rejection(
        api().triage.set({ sha256: sha, decision: 'benign', note: 'x'.repeat(TRIAGE_NOTE_MAX + 1) }),
        'BAD_REQUEST',
      ),
    ).toMatch(new RegExp(`^note: The note is ${TRIAGE_NOTE_MAX + 1} characters long; at most ${TRIAGE_NOTE_MAX}`));
    expect(
      await rejection(api().triage.set({ sha256: sha, decision: 'benign', note: 'a\u0000b' }), 'BAD_REQUEST'),
    ).toMatch(/NUL character/);
    expect(await rejection(api().triage.set({ sha256: 'e'.repeat(64), decision: 'benign' }), 'NOT_FOUND')).toMatch(
      /No run has an executable with SHA-256 e{64}/,
    );
    expect(await rejection(api().triage.forRun({ runId: 999_999 }), 'NOT_FOUND')).toMatch(/Run 999999 does not exist/);
    expect((await api().triage.forRun({ runId: runA })).decisions).toEqual([]);
  });

  it('note: kept exactly as typed, at the bound', async () => {
    const note = ` <script>alert(1)</script>\n${'é'.repeat(TRIAGE_NOTE_MAX - 28)} `;
    expect(note.length).toBeLessThanOrEqual(TRIAGE_NOTE_MAX);
    await api().triage.set({ sha256: sha, decision: 'benign', note });
    expect((await api().triage.forRun({ runId: runB })).decisions[0]?.note).toBe(note);
  });
});
