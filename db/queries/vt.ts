import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { QUEUE_PRIORITY } from '@/domain/vt-queue';
import type { Db } from '../index';
import { rows } from './raw';
import { executables, runProcesses, runs, vtJobHosts, vtJobs, vtRunChecks, vtVerdicts } from '../schema';
import { refreshFleetForRun } from './fleet';
import { heldSql, lookupIdSql, matchesIdSql, packageVerifiedSql } from '../rules/lookup';
import { addDemand, demandOf, dropAllIdleTurns, dropDemandFor, pruneDemand } from './vt-turns';

export { enqueueRunCheck, type EnqueueCounts, type EnqueueOptions } from './vt-enqueue';
export { claimJob, pruneDemandOfJob, type ClaimedJob } from './vt-turns';

export async function cancelRunCheck(db: Db, runId: number): Promise<boolean> {
  const r = await db
    .update(vtRunChecks)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(and(eq(vtRunChecks.runId, runId), eq(vtRunChecks.status, 'active')))
    .returning({ runId: vtRunChecks.runId });
  if (r.length > 0) await pruneDemand(db, [runId]);
  return r.length > 0;
}

export async function getRunCheck(db: Db, runId: number) {
  const [row] = await db.select().from(vtRunChecks).where(eq(vtRunChecks.runId, runId));
  return row ?? null;
}

// A type, not an interface: rows<T> asks for a record.
export type RunHashCounts = {
  total: number;
  checked: number;
  failed: number;
  pending: number;
  /** Never looked up because the file matches its package (the skip setting is on). */
  skipped: number;
  /** Not queued: the run's host was over its daily share when its snapshot arrived. */
  held: number;
};

export async function runHashCounts(db: Db, runId: number, skipVerified = false): Promise<RunHashCounts> {
  // A queued job counts as skipped too: with the setting on, no worker claims it for this run.
  const skippable = sql`(${skipVerified} and (j.status is null or j.status = 'queued') and v.sha256 is null and ${packageVerifiedSql(runId, sql`h.sha256`)})`;
  const held = heldSql(runId, sql`h.sha256`);
  const [r] = await rows<RunHashCounts>(
    db,
    sql`select count(*)::int as total,
          (count(*) filter (where j.status is distinct from 'queued' and j.status is distinct from 'failed' and v.sha256 is not null))::int as checked,
          (count(*) filter (where j.status = 'failed'))::int as failed,
          (count(*) filter (where (j.status = 'queued' or (j.status is null and v.sha256 is null)) and not ${skippable} and not ${held}))::int as pending,
          (count(*) filter (where ${skippable}))::int as skipped,
          (count(*) filter (where ${held} and not ${skippable}))::int as held
        from (select distinct ${lookupIdSql('rp')} as sha256 from ${runProcesses} rp
              where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null) h
        left join ${vtVerdicts} v on v.sha256 = h.sha256
        left join ${vtJobs} j on j.sha256 = h.sha256`,
  );
  return r ?? { total: 0, checked: 0, failed: 0, pending: 0, skipped: 0, held: 0 };
}

/** Jobs still queued that an active check needs, across all runs (for the ETA of the queue). */
export async function queuedNeededCount(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${vtJobs} j where j.status = 'queued' and exists (
          select 1 from ${vtRunChecks} c join ${runProcesses} rp on rp.run_id = c.run_id
          where c.status = 'active' and ${matchesIdSql('rp', sql`j.sha256`)})`,
  );
  return r?.n ?? 0;
}

/** Keeps a claimed job while its worker waits for the rate limiter; false if the lease was lost. */
export async function extendLease(db: Db, sha256: string, owner: string, leaseMs: number): Promise<boolean> {
  const r = await rows<{ sha256: string }>(
    db,
    sql`update ${vtJobs} set lease_until = now() + (${leaseMs} * interval '1 millisecond')
        where sha256 = ${sha256} and lease_owner = ${owner} and status = 'queued' returning sha256`,
  );
  return r.length > 0;
}

/** Is the job still wanted by an active check (a cancel may have come while waiting)? */
export async function jobStillNeeded(db: Db, sha256: string): Promise<boolean> {
  const r = await rows<{ one: number }>(
    db,
    sql`select 1 as one from ${vtRunChecks} c join ${runProcesses} rp on rp.run_id = c.run_id
        where c.status = 'active' and ${matchesIdSql('rp', sql`${sha256}`)} limit 1`,
  );
  return r.length > 0;
}

export async function releaseJob(
  db: Db,
  sha256: string,
  owner: string,
  patch: { nextAttemptAt?: Date; attempts?: number; lastError?: string | null } = {},
): Promise<void> {
  await db
    .update(vtJobs)
    .set({ leaseOwner: null, leaseUntil: null, updatedAt: new Date(), ...patch })
    .where(and(eq(vtJobs.sha256, sha256), eq(vtJobs.leaseOwner, owner)));
}

export async function failJob(db: Db, sha256: string, reason: string, attempts: number): Promise<void> {
  await db
    .update(vtJobs)
    .set({ status: 'failed', lastError: reason, attempts, leaseOwner: null, leaseUntil: null, updatedAt: new Date() })
    .where(eq(vtJobs.sha256, sha256));
  await dropDemandFor(db, sha256);
  await completeFinishedChecks(db);
}

export type VerdictRow = typeof vtVerdicts.$inferInsert;

/** Stores an answer, finishes the job and counts the request against every check that wanted it. */
export async function storeVerdict(db: Db, verdict: VerdictRow): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(vtVerdicts)
      .values(verdict)
      .onConflictDoUpdate({ target: vtVerdicts.sha256, set: { ...verdict } });
    await tx
      .update(vtJobs)
      .set({ status: 'done', leaseOwner: null, leaseUntil: null, lastError: null, updatedAt: new Date() })
      .where(eq(vtJobs.sha256, verdict.sha256));
    await dropDemandFor(tx as unknown as Db, verdict.sha256);
    await tx.execute(
      sql`update ${vtRunChecks} c set requests_made = requests_made + 1
          where c.status = 'active' and exists (select 1 from ${runProcesses} rp
            where rp.run_id = c.run_id and ${matchesIdSql('rp', sql`${verdict.sha256}`)})`,
    );
  });
  await completeFinishedChecks(db);
}

/**
 * VirusTotal answered a lookup by an imported MD5 with its report: the file's SHA-256 (and SHA-1) are
 * stored, every process still waiting on that MD5 now points at the executable, the verdict is cached
 * under the SHA-256 (so any later run with the file needs no request), and the MD5's job is done. All
 * in one transaction; the fleet tables of the runs involved gain the executable.
 */
export async function storeMd5Resolution(
  db: Db,
  md5: string,
  exe: { sha256: string; md5: string; sha1: string; size: number },
  verdict: VerdictRow,
): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await tx.insert(executables).values(exe).onConflictDoNothing();
    await tx
      .insert(vtVerdicts)
      .values(verdict)
      .onConflictDoUpdate({ target: vtVerdicts.sha256, set: { ...verdict } });
    await tx.execute(
      sql`update ${vtRunChecks} c set requests_made = requests_made + 1
          where c.status = 'active' and exists (select 1 from ${runProcesses} rp
            where rp.run_id = c.run_id and ${matchesIdSql('rp', sql`${md5}`)})`,
    );
    const moved = await rows<{ runId: number }>(
      t,
      sql`update ${runProcesses} set sha256 = ${exe.sha256}, unresolved_md5 = null
          where unresolved_md5 = ${md5} returning run_id as "runId"`,
    );
    await tx.delete(vtJobs).where(eq(vtJobs.sha256, md5));
    // A lookup of the SHA-256 itself queued meanwhile (another run) has its answer now.
    await tx
      .update(vtJobs)
      .set({ status: 'done', lastError: null, updatedAt: new Date() })
      .where(and(eq(vtJobs.sha256, exe.sha256), eq(vtJobs.status, 'queued'), isNull(vtJobs.leaseOwner)));
    // No host waits for the MD5's job any more (its rows went with it), nor for an answered SHA-256.
    await tx.execute(sql`delete from ${vtJobHosts} d where d.sha256 = ${exe.sha256}
      and not exists (select 1 from ${vtJobs} j where j.sha256 = d.sha256 and j.status = 'queued')`);
    await dropAllIdleTurns(t);
    for (const runId of new Set(moved.map((m) => m.runId))) {
      const [run] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
      if (run?.status === 'completed') await refreshFleetForRun(t, runId);
    }
  });
  await completeFinishedChecks(db);
}

/**
 * Active checks with nothing left queued are complete. With the skip setting on, a queued job of a
 * package-verified executable does not hold a run's check open: no worker claims it for that run.
 */
export async function completeFinishedChecks(db: Db, skipVerified = false): Promise<void> {
  const done = await rows<{ runId: number }>(
    db,
    sql`update ${vtRunChecks} c set status = 'completed', finished_at = now()
        where c.status = 'active' and not exists (
          select 1 from ${runProcesses} rp join ${vtJobs} j on j.sha256 = ${lookupIdSql('rp')}
          where rp.run_id = c.run_id and j.status = 'queued'
            and not (${skipVerified} and ${packageVerifiedSql(sql`c.run_id`, lookupIdSql('rp'))}))
        returning c.run_id as "runId"`,
  );
  if (done.length > 0)
    await pruneDemand(
      db,
      done.map((d) => d.runId),
    );
}

/** Failed jobs of a run go back to the queue (the UI's "Retry failed"): a person asked, for the run's host. */
export async function retryFailedForRun(db: Db, runId: number): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const r = await rows<{ sha256: string }>(
      t,
      sql`update ${vtJobs} j set status = 'queued', attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
          where j.status = 'failed' and exists (select 1 from ${runProcesses} rp where rp.run_id = ${runId} and ${matchesIdSql('rp', sql`j.sha256`)})
          returning sha256`,
    );
    await addDemand(
      t,
      runId,
      await demandOf(
        t,
        runId,
        r.map((x) => x.sha256),
      ),
      QUEUE_PRIORITY.asked,
    );
    return r.length;
  });
}

/** After a crash: leases of a dead process are void (all of them when this process owns the data). */
export async function clearLeases(db: Db, onlyExpired: boolean): Promise<void> {
  await db.execute(
    onlyExpired
      ? sql`update ${vtJobs} set lease_owner = null, lease_until = null where lease_until < now()`
      : sql`update ${vtJobs} set lease_owner = null, lease_until = null where lease_owner is not null`,
  );
}

export async function verdictsFor(db: Db, shas: string[]) {
  if (shas.length === 0) return [];
  return db.select().from(vtVerdicts).where(inArray(vtVerdicts.sha256, shas));
}
