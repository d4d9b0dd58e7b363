import { sql } from 'drizzle-orm';
import { LOOKUP_RANK, QUEUE_PRIORITY, type QueuePriority } from '@/domain/vt-queue';
import type { Db } from '../index';
import { rows } from './raw';
import { runProcesses, runs, vtHostTurns, vtJobHosts, vtJobs, vtRunChecks } from '../schema';
import { hostCountSql, matchesIdSql, runRankSql } from '../rules/lookup';

/**
 * The queue's turns (issue 17 item 10): which hosts wait for which lookups (vt_job_hosts) and whose
 * turn it is (vt_host_turns). A job is one request however many hosts wait for it.
 */

export interface Demand {
  sha256: string;
  rank: number;
  hostCount: number;
}

const BATCH = 1000;

/**
 * Records that the run's host waits for these queued jobs (at `priority`, each with the host's own
 * rank). A host already waiting keeps the better priority and takes the newer rank: its latest
 * snapshot is what it says now. Jobs no longer queued are left out.
 */
export async function addDemand(db: Db, runId: number, demand: readonly Demand[], priority: QueuePriority) {
  if (demand.length === 0) return;
  const [run] = await rows<{ hostId: number }>(db, sql`select host_id as "hostId" from ${runs} where id = ${runId}`);
  if (!run) return;
  for (let i = 0; i < demand.length; i += BATCH) {
    const values = sql.join(
      demand.slice(i, i + BATCH).map((d) => sql`(${d.sha256}, ${d.rank}::smallint, ${d.hostCount}::int)`),
      sql`, `,
    );
    await db.execute(sql`
      insert into ${vtJobHosts} (host_id, sha256, priority, rank, host_count)
      select ${run.hostId}, v.sha256, ${priority}, v.rank, v.host_count
        from (values ${values}) as v(sha256, rank, host_count)
        join ${vtJobs} j on j.sha256 = v.sha256 and j.status = 'queued'
      on conflict (host_id, sha256) do update set
        priority = least(vt_job_hosts.priority, excluded.priority),
        rank = excluded.rank, host_count = excluded.host_count`);
  }
  // The host takes turns at each priority it now waits at (a row may have kept a better one).
  await db.execute(sql`
    insert into ${vtHostTurns} (host_id, priority)
    select ${run.hostId}, p.priority from (values ${priorityValues()}) as p(priority)
     where exists (select 1 from ${vtJobHosts} d where d.host_id = ${run.hostId} and d.priority = p.priority)
    on conflict do nothing`);
}

function priorityValues() {
  return sql.join(
    Object.values(QUEUE_PRIORITY).map((p) => sql`(${p}::smallint)`),
    sql`, `,
  );
}

/**
 * A host whose wait at a priority is over leaves the turns: when it comes back with new work it
 * starts from no time served, so it goes first (and the claim walks only hosts with work).
 */
async function dropIdleTurns(db: Db, hostIds: readonly number[] | null): Promise<void> {
  if (hostIds !== null && hostIds.length === 0) return;
  const only =
    hostIds === null
      ? sql`true`
      : sql`t.host_id in (${sql.join(
          hostIds.map((h) => sql`${h}`),
          sql`, `,
        )})`;
  await db.execute(sql`
    delete from ${vtHostTurns} t where ${only}
      and not exists (select 1 from ${vtJobHosts} d where d.host_id = t.host_id and d.priority = t.priority)`);
}

/** Deletes waits and lets hosts left with none leave the turns. `where` filters vt_job_hosts `d`. */
async function deleteDemand(db: Db, where: ReturnType<typeof sql>, using = sql``): Promise<void> {
  const gone = await rows<{ hostId: number }>(
    db,
    sql`delete from ${vtJobHosts} d ${using} where ${where} returning d.host_id as "hostId"`,
  );
  await dropIdleTurns(db, [...new Set(gone.map((g) => Number(g.hostId)))]);
}

/** After jobs went away without a wait being deleted (an MD5's job resolved): any host's idle turns go. */
export async function dropAllIdleTurns(db: Db): Promise<void> {
  await dropIdleTurns(db, null);
}

/** The hashes with how many hosts ran each (counted now), keeping each one's rank. */
export async function withHostCounts(
  db: Db,
  items: ReadonlyArray<{ sha256: string; rank: number }>,
): Promise<Demand[]> {
  const out: Demand[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const list = sql.join(
      items.slice(i, i + BATCH).map((x) => sql`(${x.sha256}, ${x.rank}::int)`),
      sql`, `,
    );
    out.push(
      ...(await rows<{ sha256: string; rank: number; hostCount: number }>(
        db,
        sql`select v.sha256, v.rank, ${hostCountSql(sql`v.sha256`)} as "hostCount"
              from (values ${list}) as v(sha256, rank)`,
      )),
    );
  }
  return out;
}

/** The run's jobs with its host's rank for each (a retry re-queues them for the run's host). */
export async function demandOf(db: Db, runId: number, shas: readonly string[]): Promise<Demand[]> {
  const ranked: Array<{ sha256: string; rank: number }> = [];
  for (let i = 0; i < shas.length; i += BATCH) {
    const list = sql.join(
      shas.slice(i, i + BATCH).map((s) => sql`(${s})`),
      sql`, `,
    );
    ranked.push(
      ...(await rows<{ sha256: string; rank: number }>(
        db,
        sql`select v.sha256, coalesce(${runRankSql(runId, sql`v.sha256`)}, ${LOOKUP_RANK.normal})::int as rank
              from (values ${list}) as v(sha256)`,
      )),
    );
  }
  return withHostCounts(db, ranked);
}

/**
 * After checks end (cancelled or completed): their hosts stop waiting for the runs' jobs unless
 * another active check of the same host still needs them.
 */
export async function pruneDemand(db: Db, runIds: readonly number[]): Promise<void> {
  for (const runId of runIds) {
    await deleteDemand(
      db,
      sql`r.id = ${runId} and d.host_id = r.host_id
         and exists (select 1 from ${runProcesses} rp where rp.run_id = r.id and ${matchesIdSql('rp', sql`d.sha256`)})
         and not exists (select 1 from ${runProcesses} x join ${vtRunChecks} c on c.run_id = x.run_id and c.status = 'active'
                          join ${runs} r2 on r2.id = x.run_id
                         where r2.host_id = d.host_id and ${matchesIdSql('x', sql`d.sha256`)})`,
      sql`using ${runs} r`,
    );
  }
}

/** A job no one waits for any more (answered, failed for good, or resolved to a SHA-256). */
export async function dropDemandFor(db: Db, sha256: string): Promise<void> {
  await deleteDemand(db, sql`d.sha256 = ${sha256}`);
}

/**
 * A host's job `d` (joined with its job `j`) that a worker may take now: queued, due, not leased,
 * and not held back by the skip setting. Rows are dropped as checks end (pruneDemand), and a worker
 * that finds its job no longer wanted drops what is left (pruneDemandOfJob), so the claim need not
 * ask every row whether a check still wants it.
 */
function claimableSql(skipVerified: boolean) {
  return sql`j.status = 'queued' and j.next_attempt_at <= now()
    and (j.lease_until is null or j.lease_until < now())
    -- The last rank is exactly "package-verified" in the host's run (lookupRankSql): with the skip
    -- setting on, a distro binary's job (say, left by a cancelled check) waits.
    and not (${skipVerified} and d.rank = ${sql.raw(String(LOOKUP_RANK.last))})`;
}

/** A job no active check wants any more (a cancel came while a worker held it): no host waits for it. */
export async function pruneDemandOfJob(db: Db, sha256: string): Promise<void> {
  await deleteDemand(
    db,
    sql`d.sha256 = ${sha256}
      and not exists (select 1 from ${runProcesses} x join ${vtRunChecks} c on c.run_id = x.run_id and c.status = 'active'
                        join ${runs} r on r.id = x.run_id
                       where r.host_id = d.host_id and ${matchesIdSql('x', sql`d.sha256`)})`,
  );
}

export interface ClaimedJob {
  sha256: string;
  attempts: number;
}

/**
 * Claims the next lookup, decided in one statement so any number of workers in any number of
 * processes can claim at once:
 *  1. the priority: what a person asked for before what agents' snapshots queued on their own;
 *  2. within it, the host whose turn it is: the least recently served one with a free job (a host
 *     new to the turns first). Its turn row is locked SKIP LOCKED, so concurrent claims take
 *     different hosts;
 *  3. that host's next free job in its own order (rank, fewest hosts, oldest), locked SKIP LOCKED.
 * A job several hosts wait for is one request; the host whose turn it was is the one served.
 * Both walks follow an index and stop at the first hit, so the claim costs the same with 100,000
 * jobs queued as with ten (`npm run bench -- --only vtqueue`), and no table statistics are needed
 * for that plan (PGlite never gathers them).
 */
export async function claimJob(
  db: Db,
  owner: string,
  leaseMs: number,
  skipVerified = false,
): Promise<ClaimedJob | null> {
  const claimable = claimableSql(skipVerified);
  const [job] = await rows<{ sha256: string; attempts: number }>(
    db,
    sql`with turn as (
          select t.host_id, t.priority from ${vtHostTurns} t
          cross join lateral (select 1 from ${vtJobHosts} d join ${vtJobs} j on j.sha256 = d.sha256
                               where d.host_id = t.host_id and d.priority = t.priority and ${claimable}
                               limit 1) w
          order by t.priority, t.served_at nulls first, t.host_id
          limit 1
          for update of t skip locked),
        pick as (
          -- Inside the lateral the host and priority are fixed, so the index gives the host's own
          -- order and the walk stops at its first free job.
          select x.sha256, turn.host_id, turn.priority from turn
          cross join lateral (
            select d.sha256 from ${vtJobHosts} d join ${vtJobs} j on j.sha256 = d.sha256
             where d.host_id = turn.host_id and d.priority = turn.priority and ${claimable}
             order by d.rank, d.host_count, d.queued_at, d.sha256
             limit 1
             for update of j skip locked) x),
        served as (
          update ${vtHostTurns} t set served_at = clock_timestamp() from pick
           where t.host_id = pick.host_id and t.priority = pick.priority
          returning t.host_id)
        update ${vtJobs} as u set lease_owner = ${owner}, lease_until = now() + (${leaseMs} * interval '1 millisecond'),
               updated_at = now()
          from pick where u.sha256 = pick.sha256
        returning u.sha256, u.attempts`,
  );
  return job ?? null;
}
