import { sql } from 'drizzle-orm';
import { splitByShare, type QueuePriority } from '@/domain/vt-queue';
import type { Db } from '../index';
import { rows } from './raw';
import { runProcesses, runs, vtHostShares, vtJobs, vtRunChecks, vtRunHeld, vtVerdicts } from '../schema';
import type { Freshness } from '@/domain/vt-cache';
import { lookupIdSql, lookupRankSql, packageVerifiedSql } from '../rules/lookup';
import { freshSql, verdictColsOf } from '../rules/vt';
import { resolveKnownMd5 } from './vt-plan';
import { addDemand, withHostCounts } from './vt-turns';

export interface EnqueueOptions {
  /** Re-check: ask again for every hash, fresh answer or not. */
  force: boolean;
  /** The skip setting: package-verified executables are not looked up. */
  skipVerified: boolean;
  priority: QueuePriority;
  /** An agent's snapshot: its new lookups count against its host's share of this UTC day. */
  share?: { perDay: number; day: string };
}

export interface EnqueueCounts {
  /** Distinct lookup ids of the run. */
  total: number;
  /** Of those, without a fresh answer (each needs a request). */
  uncached: number;
  /** Package-verified ones the skip setting leaves out. */
  skipped: number;
  /** New ones left out of the queue because the host was over its share today. */
  held: number;
}

const BATCH = 1000;

/**
 * Starts (or restarts) the check of a run: queues one job per distinct SHA-256 of the run whose
 * verdict is missing or stale (all of them when `force`), and records that the run's host waits for
 * each. A hash already queued (for this host or another) is one job: this host joins the wait at no
 * cost to its share. With `share`, only as many new jobs as the host's daily share has left are
 * queued, the host's most likely to matter first (by its own rank); the rest is recorded as held.
 * Without it (a person asked), everything is queued and the run's held hashes are released.
 */
export async function enqueueRunCheck(
  db: Db,
  runId: number,
  fresh: Freshness,
  opts: EnqueueOptions,
): Promise<EnqueueCounts> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // Taken first and held to the end: two snapshots of one host arriving together (two app
    // processes) queue one after the other, so the second sees what the first queued as not new.
    const spent = opts.share ? await lockShare(t, runId, opts.share.day) : 0;
    await resolveKnownMd5(t, runId);
    // In the host's own rank, then by hash: the order its share is spent in (its own facts only).
    const needed = await rows<{ sha256: string; rank: number; queued: boolean }>(
      t,
      sql`with h as (
            select ${lookupIdSql('rp')} as sha256, ${lookupRankSql('rp')} as rank
              from ${runProcesses} rp
             where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null
             group by 1)
          select h.sha256, h.rank::int as rank, coalesce(j.status = 'queued', false) as queued
            from h
            left join ${vtVerdicts} v on v.sha256 = h.sha256
            left join ${vtJobs} j on j.sha256 = h.sha256
           where (${opts.force} or not ${freshSql(verdictColsOf('v'), fresh)})
             and not (${opts.skipVerified} and ${packageVerifiedSql(runId, sql`h.sha256`)})
           order by h.rank, h.sha256`,
    );
    const [{ skipped } = { skipped: 0 }] = opts.skipVerified
      ? await rows<{ skipped: number }>(
          t,
          sql`select count(distinct rp.sha256)::int as skipped from ${runProcesses} rp
              where rp.run_id = ${runId} and rp.sha256 is not null and ${packageVerifiedSql(runId, sql`rp.sha256`)}`,
        )
      : [];
    const [{ total } = { total: 0 }] = await rows<{ total: number }>(
      t,
      sql`select count(distinct ${lookupIdSql('rp')})::int as total from ${runProcesses} rp
          where rp.run_id = ${runId} and ${lookupIdSql('rp')} is not null`,
    );

    // Joining a lookup already queued costs no request; only new ones count against a share.
    const waiting = needed.filter((n) => n.queued);
    const newOnes = needed.filter((n) => !n.queued);
    const { queued: toQueue, held } = opts.share
      ? splitByShare(newOnes, opts.share.perDay - spent)
      : { queued: newOnes, held: [] };
    if (opts.share && toQueue.length > 0) await spendShare(t, runId, opts.share.day, toQueue.length);

    for (let i = 0; i < toQueue.length; i += BATCH) {
      await t
        .insert(vtJobs)
        .values(toQueue.slice(i, i + BATCH).map((r) => ({ sha256: r.sha256 })))
        .onConflictDoUpdate({
          target: vtJobs.sha256,
          set: { status: 'queued', attempts: 0, nextAttemptAt: sql`now()`, lastError: null, updatedAt: sql`now()` },
          // A job already queued (maybe leased by a worker right now) is left alone, and so is one
          // another check finished since `needed` was read (snapshots arriving together on several
          // app processes): its fresh verdict is there now, asking again would spend quota twice.
          setWhere: sql`${vtJobs.status} <> 'queued' and (${opts.force} or not exists (
            select 1 from ${vtVerdicts} v where v.sha256 = ${vtJobs.sha256} and ${freshSql(verdictColsOf('v'), fresh)}))`,
        });
    }
    // Counted only for what is queued: a flood's held thousands cost no per-hash query.
    await addDemand(t, runId, await withHostCounts(t, [...waiting, ...toQueue]), opts.priority);
    if (opts.share) {
      for (let i = 0; i < held.length; i += BATCH) {
        await t
          .insert(vtRunHeld)
          .values(held.slice(i, i + BATCH).map((r) => ({ runId, sha256: r.sha256 })))
          .onConflictDoNothing();
      }
    } else {
      // A person asked for the whole run: nothing of it is held back any more.
      await t.delete(vtRunHeld).where(sql`${vtRunHeld.runId} = ${runId}`);
    }
    await t
      .insert(vtRunChecks)
      .values({ runId, status: 'active', uncachedAtStart: needed.length })
      .onConflictDoUpdate({
        target: vtRunChecks.runId,
        // A check resumed while still active (say, after a crash) keeps its start and its counts.
        set: {
          status: 'active',
          finishedAt: null,
          requestedAt: sql`case when ${vtRunChecks.status} = 'active' then ${vtRunChecks.requestedAt} else now() end`,
          uncachedAtStart: sql`case when ${vtRunChecks.status} = 'active' then ${vtRunChecks.uncachedAtStart} else ${needed.length} end`,
          requestsMade: sql`case when ${vtRunChecks.status} = 'active' then ${vtRunChecks.requestsMade} else 0 end`,
        },
      });
    return { total, uncached: needed.length, skipped, held: held.length };
  });
}

/** Locks the run's host's share row of `day` (creating it) and says how much of it is spent. */
async function lockShare(db: Db, runId: number, day: string): Promise<number> {
  const [row] = await rows<{ queued: number }>(
    db,
    sql`insert into ${vtHostShares} (host_id, day, queued)
        select host_id, ${day}, 0 from ${runs} where id = ${runId}
        on conflict (host_id, day) do update set queued = vt_host_shares.queued
        returning queued`,
  );
  return row?.queued ?? 0;
}

async function spendShare(db: Db, runId: number, day: string, n: number): Promise<void> {
  await db.execute(sql`update ${vtHostShares} set queued = queued + ${n}
    where day = ${day} and host_id = (select host_id from ${runs} where id = ${runId})`);
}
