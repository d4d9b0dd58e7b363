import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { fleetPrevalence } from '@/db/queries/fleet';
import { rows } from '@/db/queries/raw';
import { storeVerdict } from '@/db/queries/vt';
import { lookupIdSql, lookupRankSql, packageVerifiedSql, runRankSql } from '@/db/rules/lookup';
import { iocSql, needsTriageSql } from '@/db/rules/triage';
import { freshSql, verdictColsOf, verdictSql } from '@/db/rules/vt';
import { TRIAGE_DECISIONS, needsTriage, onIocList, type TriageDecision } from '@/domain/triage';
import { freshnessAt, isFresh, type CacheTtls } from '@/domain/vt-cache';
import { lookupRank, packageVerified, type FileFacts } from '@/domain/vt-queue';
import { vtStateOf } from '@/domain/vt-state';
import { ingestSnapshot } from '@/server/services/runs';
import { snapshotOf } from './fair-queue-suite';
import { fakeHashes } from './fixtures';

/** One stored VirusTotal answer (found null: none stored), its job's status and the decision in force. */
interface AnswerCase {
  found: boolean | null;
  vtScore: number | null;
  jobStatus: 'queued' | 'failed' | 'done' | null;
  decision: TriageDecision | null;
}

const DECISIONS = [null, ...TRIAGE_DECISIONS] as const;
const THRESHOLDS = [1, 2, 5];

/** Every answer worth telling apart for `threshold`, with every decision. */
function answerCases(threshold: number): AnswerCase[] {
  const scores = [0, 1, threshold - 1, threshold, threshold + 1, 70, null];
  const answers: Array<Omit<AnswerCase, 'decision'>> = [
    ...scores.map((vtScore) => ({ found: true, vtScore, jobStatus: 'done' as const })),
    // A "not found" stored over an older report keeps that report's score in the row.
    { found: false, vtScore: null, jobStatus: 'done' },
    { found: false, vtScore: threshold + 5, jobStatus: 'done' },
    // A re-check in flight or failed: the stored answer still stands.
    { found: true, vtScore: threshold, jobStatus: 'queued' },
    { found: true, vtScore: threshold, jobStatus: 'failed' },
    { found: false, vtScore: null, jobStatus: 'queued' },
    // No answer: pending, failed, never asked.
    { found: null, vtScore: null, jobStatus: 'queued' },
    { found: null, vtScore: null, jobStatus: 'failed' },
    { found: null, vtScore: null, jobStatus: null },
  ];
  return answers.flatMap((a) => DECISIONS.map((decision) => ({ ...a, decision })));
}

/** What the TypeScript rules say about one case (the loader's `vtStateOf`, then domain/triage.ts). */
function tsRules(c: AnswerCase, threshold: number) {
  const state = vtStateOf(
    {
      sha256: 'x',
      vtFound: c.found,
      vtScore: c.vtScore,
      vtTotalEngines: null,
      vtThreatLabel: null,
      vtJobStatus: c.jobStatus,
      vtJobError: null,
    },
    threshold,
  );
  const checked = state?.state === 'checked' ? state : null;
  return {
    verdict: checked?.verdict ?? null,
    ioc: onIocList(checked?.verdict === 'malicious' && checked.vtScore !== null, c.decision),
    needsTriage: needsTriage(checked?.vtScore, c.decision),
  };
}

/** The cases as a VALUES list `c(id, found, vt_score, fetched_at, job_status, decision)`. */
function valuesOf(cases: ReadonlyArray<AnswerCase & { fetchedAt?: Date | null }>): SQL {
  return sql.join(
    cases.map(
      (c, id) =>
        sql`(${id}::int, ${c.found}::boolean, ${c.vtScore}::int, ${c.fetchedAt ?? null}::timestamptz, ${c.jobStatus}::text, ${c.decision}::text)`,
    ),
    sql`, `,
  );
}

const c = verdictColsOf('c');

/**
 * Each rule that SQL states too (db/rules/) agrees with its TypeScript rule in domain/ on the same
 * table of cases, evaluated by the database itself. Asserted on PGlite and on PostgreSQL.
 */
export function rulesSuite(handle: () => DbHandle) {
  describe('SQL rule fragments agree with domain/', () => {
    it.each(THRESHOLDS)('verdictSql, iocSql and needsTriageSql, threshold %i', async (threshold) => {
      const cases = answerCases(threshold);
      const got = await rows<{ id: number; verdict: string | null; ioc: boolean; needsTriage: boolean }>(
        handle().db,
        sql`select c.id, ${verdictSql(c, threshold)} as verdict,
                   ${iocSql(c, threshold, sql`c.decision`)} as ioc,
                   ${needsTriageSql(c, sql`c.decision`)} as "needsTriage"
              from (values ${valuesOf(cases)}) as c(id, found, vt_score, fetched_at, job_status, decision)
             order by c.id`,
      );
      expect(got.map(({ id: _id, ...r }) => r)).toEqual(cases.map((x) => tsRules(x, threshold)));
    });

    it('freshSql: found and "not found" answers at and around each window edge', async () => {
      const now = Date.UTC(2026, 11, 7, 12, 0, 0);
      const ttlsList: CacheTtls[] = [
        { cacheTtlDays: 7, notFoundTtlHours: 24 },
        { cacheTtlDays: 1.5, notFoundTtlHours: 0.5 },
        { cacheTtlDays: 0, notFoundTtlHours: 0 },
      ];
      for (const ttls of ttlsList) {
        const fresh = freshnessAt(ttls, now);
        const edges = [fresh.foundAfter, fresh.notFoundAfter, new Date(now)].map((d) => d.getTime());
        const instants = [...new Set(edges.flatMap((t) => [t - 1, t, t + 1]))].map((t) => new Date(t));
        const cases = [
          ...instants.flatMap((fetchedAt) =>
            [true, false].map((found) => ({ found, vtScore: found ? 3 : null, fetchedAt })),
          ),
          { found: null, vtScore: null, fetchedAt: null },
        ].map((x) => ({ ...x, jobStatus: null, decision: null }));
        const got = await rows<{ fresh: boolean }>(
          handle().db,
          sql`select ${freshSql(c, fresh)} as fresh
                from (values ${valuesOf(cases)}) as c(id, found, vt_score, fetched_at, job_status, decision)
               order by c.id`,
        );
        const want = cases.map((x) => ({
          fresh: isFresh(x.found === null ? null : { found: x.found, fetchedAt: x.fetchedAt! }, fresh),
        }));
        expect(got, JSON.stringify(ttls)).toEqual(want);
      }
    });

    it('lookupRankSql, runRankSql and packageVerifiedSql: every mix of package facts and badges', async () => {
      const { db } = handle();
      const p = (integrity: string | null, ...heuristics: string[]): FileFacts => ({ integrity, heuristics });
      const mixes: FileFacts[][] = [
        [p('matches')],
        [p('matches'), p('matches')],
        [p('matches'), p(null)],
        [p('matches', 'setuid')],
        [p('matches'), p('matches', 'deleted')],
        [p('modified')],
        [p('matches'), p('modified')],
        [p('not-packaged')],
        [p('not-packaged', 'temp-dir')],
        [p('not-packaged'), p('matches', 'temp-dir')],
        [p('matches'), p('not-packaged')],
        [p(null)],
        [p(null, 'home-dir')],
      ];
      const seed = (i: number) => `rules-rank-${i}`;
      const seeds = mixes.flatMap((m, i) => m.map(() => seed(i)));
      const facts = mixes.flat();
      const snap = snapshotOf('rules-rank', seeds);
      snap.processes.forEach((proc, k) => {
        const f = facts[k]!;
        Object.assign(proc, { integrity: f.integrity, heuristics: [...f.heuristics] });
      });
      const runId = await ingestSnapshot(db, snap, 'cli');
      const sha = (i: number) => fakeHashes(seed(i)).sha256;
      const perHash = await rankByGroup(db, runId);
      for (const [i, mix] of mixes.entries()) {
        const [one] = await rows<{ rank: number; verified: boolean }>(
          db,
          sql`select ${runRankSql(runId, sql`${sha(i)}`)} as rank,
                     ${packageVerifiedSql(runId, sql`${sha(i)}`)} as verified`,
        );
        const want = { rank: lookupRank(mix), verified: packageVerified(mix) };
        expect({ ...one, grouped: perHash.get(sha(i)) }, JSON.stringify(mix)).toEqual({ ...want, grouped: want.rank });
      }
    });

    it('a hash VirusTotal no longer knows is not "untriaged with VTScore ≥ 1" on Prevalence', async () => {
      const { db } = handle();
      await ingestSnapshot(db, snapshotOf('rules-prev', ['rules-prev-gone', 'rules-prev-flagged']), 'cli');
      const gone = fakeHashes('rules-prev-gone').sha256;
      const flagged = fakeHashes('rules-prev-flagged').sha256;
      await storeVerdict(db, { sha256: gone, found: true, vtScore: 5, totalEngines: 70, fetchedAt: new Date() });
      await storeVerdict(db, { sha256: gone, found: false, fetchedAt: new Date() });
      await storeVerdict(db, { sha256: flagged, found: true, vtScore: 1, totalEngines: 70, fetchedAt: new Date() });
      const listed = (await fleetPrevalence(db, { sort: 'vtScore', limit: 10_000, untriaged: true })).map(
        (r) => r.sha256,
      );
      expect(listed).toContain(flagged);
      expect(listed).not.toContain(gone);
    });
  });
}

/** Each hash's rank as the enqueue reads it: `lookupRankSql` over the run's rows grouped by lookup id. */
async function rankByGroup(db: Db, runId: number): Promise<Map<string, number>> {
  const got = await rows<{ sha256: string; rank: number }>(
    db,
    sql`select ${lookupIdSql('rp')} as sha256, ${lookupRankSql('rp')} as rank
          from run_processes rp where rp.run_id = ${runId} group by 1`,
  );
  return new Map(got.map((r) => [r.sha256, Number(r.rank)]));
}
