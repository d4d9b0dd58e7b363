import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TriageDecision } from '@/domain/triage';
import type { Db } from '../index';
import { executables, hashTriage, hashTriageLog, runProcesses } from '../schema';

/** The decision in force for a hash, as every reader sees it. */
export interface TriageState {
  sha256: string;
  decision: TriageDecision;
  note: string;
  decidedBy: string;
  decidedAt: Date;
  /** The log entry it came from; an edit names it to prove it saw the current state. */
  logId: number;
}

export interface TriageLogEntry {
  id: number;
  decision: TriageDecision | null;
  note: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface TriageWrite {
  sha256: string;
  /** null clears the decision. */
  decision: TriageDecision | null;
  note: string;
  decidedBy: string;
  decidedById: string | null;
  /** The log id the person saw (null: no decision); a different current one is a conflict. */
  basedOn?: number | null;
}

export type TriageWriteResult =
  | { ok: true; state: TriageState | null }
  | { ok: false; reason: 'unknown-hash' }
  | { ok: false; reason: 'stale'; current: TriageState | null };

const stateColumns = {
  sha256: hashTriage.sha256,
  decision: hashTriage.decision,
  note: hashTriage.note,
  decidedBy: hashTriage.decidedBy,
  decidedAt: hashTriage.decidedAt,
  logId: hashTriage.logId,
};

/**
 * Records a decision (or its clearing): one log entry appended and the current row replaced, in one
 * transaction. The current row is locked first, so two people saving at once are serialised and the
 * second one, based on what it saw, gets `stale` instead of silently overwriting the first.
 */
export async function writeTriage(db: Db, w: TriageWrite): Promise<TriageWriteResult> {
  return db.transaction(async (tx) => {
    const [exe] = await tx
      .select({ sha256: executables.sha256 })
      .from(executables)
      .where(eq(executables.sha256, w.sha256))
      .for('update');
    if (!exe) return { ok: false, reason: 'unknown-hash' };
    const [current] = await tx.select(stateColumns).from(hashTriage).where(eq(hashTriage.sha256, w.sha256));
    if (w.basedOn !== undefined && (current?.logId ?? null) !== w.basedOn) {
      return { ok: false, reason: 'stale', current: current ?? null };
    }
    // Clearing what is already clear changes nothing and logs nothing.
    if (w.decision === null && !current) return { ok: true, state: null };
    const [entry] = await tx
      .insert(hashTriageLog)
      .values({
        sha256: w.sha256,
        decision: w.decision,
        note: w.decision === null ? '' : w.note,
        decidedBy: w.decidedBy,
        decidedById: w.decidedById,
      })
      .returning({ id: hashTriageLog.id, decidedAt: hashTriageLog.decidedAt });
    if (!entry) throw new Error('triage log insert returned no row');
    if (w.decision === null) {
      await tx.delete(hashTriage).where(eq(hashTriage.sha256, w.sha256));
      return { ok: true, state: null };
    }
    const row = {
      decision: w.decision,
      note: w.note,
      decidedBy: w.decidedBy,
      decidedById: w.decidedById,
      decidedAt: entry.decidedAt,
      logId: entry.id,
    };
    await tx
      .insert(hashTriage)
      .values({ sha256: w.sha256, ...row })
      .onConflictDoUpdate({ target: hashTriage.sha256, set: row });
    return {
      ok: true,
      state: {
        sha256: w.sha256,
        decision: w.decision,
        note: w.note,
        decidedBy: w.decidedBy,
        decidedAt: entry.decidedAt,
        logId: entry.id,
      },
    };
  });
}

/** The decisions in force for these hashes (those without one are absent). */
export async function triageFor(db: Db, sha256s: readonly string[]): Promise<TriageState[]> {
  if (sha256s.length === 0) return [];
  const out: TriageState[] = [];
  // Bounded statements: a fleet page can ask for thousands of hashes.
  for (let i = 0; i < sha256s.length; i += 5000) {
    out.push(
      ...(await db
        .select(stateColumns)
        .from(hashTriage)
        .where(inArray(hashTriage.sha256, sha256s.slice(i, i + 5000)))),
    );
  }
  return out;
}

/** The decisions in force for the executables one run saw. */
export async function triageForRun(db: Db, runId: number): Promise<TriageState[]> {
  return db
    .select(stateColumns)
    .from(hashTriage)
    .where(
      inArray(
        hashTriage.sha256,
        db
          .selectDistinct({ sha256: sql<string>`${runProcesses.sha256}` })
          .from(runProcesses)
          .where(and(eq(runProcesses.runId, runId), sql`${runProcesses.sha256} is not null`)),
      ),
    )
    .orderBy(asc(hashTriage.sha256));
}

/** Every change to a hash's decision, newest first (bounded: the dialog shows the recent ones). */
export async function triageHistory(db: Db, sha256: string, limit = 50): Promise<TriageLogEntry[]> {
  return db
    .select({
      id: hashTriageLog.id,
      decision: hashTriageLog.decision,
      note: hashTriageLog.note,
      decidedBy: hashTriageLog.decidedBy,
      decidedAt: hashTriageLog.decidedAt,
    })
    .from(hashTriageLog)
    .where(eq(hashTriageLog.sha256, sha256))
    .orderBy(desc(hashTriageLog.id))
    .limit(limit);
}
