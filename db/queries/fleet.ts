import { sql } from 'drizzle-orm';
import type { TriageDecision } from '@/domain/triage';
import type { VtRowFields } from '@/domain/vt-state';
import type { Db } from '../index';
import { heldSql } from '../rules/lookup';
import { needsTriageSql } from '../rules/triage';
import { verdictColsOf, verdictSql, vtScoreSql } from '../rules/vt';

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** Serialises prevalence refreshes so a count never misses a host another transaction just added. */
const FLEET_LOCK = 0x70726576; // 'prev'

/** How many names and paths the precomputed prevalence row keeps per executable. */
const MAX_LISTED = 50;

/**
 * Refreshes the fleet tables from one completed run, inside the caller's transaction. The
 * prevalence counts move by deltas (a new host for an executable adds one; a host's newer snapshot
 * replaces its process count), so the cost of a snapshot does not grow with the fleet. An older
 * snapshot arriving late never overwrites a newer one.
 */
export async function refreshFleetForRun(tx: Db, runId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${FLEET_LOCK})`);
  const cur = sql`
    select r.host_id, rp.sha256, count(*)::int as n, r.started_at,
           array_agg(distinct rp.name order by rp.name) as names,
           coalesce(array_agg(distinct rp.exe_path order by rp.exe_path) filter (where rp.exe_path is not null), '{}') as paths
      from run_processes rp join runs r on r.id = rp.run_id
     where rp.run_id = ${runId} and rp.sha256 is not null
     group by r.host_id, rp.sha256, r.started_at`;
  // Before host_executables changes: compare this run with what the host had.
  await tx.execute(sql`
    with cur as (${cur}),
    delta as (
      select c.sha256, c.started_at, c.names, c.paths,
             (he.sha256 is null)::int as new_host,
             case when he.sha256 is null then c.n
                  when c.started_at >= he.last_seen_at then c.n - he.process_count
                  else 0 end as dproc
        from cur c left join host_executables he on he.host_id = c.host_id and he.sha256 = c.sha256)
    insert into executable_prevalence (sha256, host_count, process_count, last_seen_at, names, paths)
    select sha256, new_host, dproc, started_at,
           (select coalesce(array_agg(x order by x), '{}') from (select x from unnest(names) x order by x limit ${MAX_LISTED}) s),
           (select coalesce(array_agg(x order by x), '{}') from (select x from unnest(paths) x order by x limit ${MAX_LISTED}) s)
      from delta
    on conflict (sha256) do update set
       host_count = executable_prevalence.host_count + excluded.host_count,
       process_count = executable_prevalence.process_count + excluded.process_count,
       last_seen_at = greatest(executable_prevalence.last_seen_at, excluded.last_seen_at),
       names = case when excluded.names <@ executable_prevalence.names then executable_prevalence.names else
         (select array_agg(x order by x) from (select distinct x from unnest(executable_prevalence.names || excluded.names) x order by x limit ${MAX_LISTED}) s) end,
       paths = case when excluded.paths <@ executable_prevalence.paths then executable_prevalence.paths else
         (select array_agg(x order by x) from (select distinct x from unnest(executable_prevalence.paths || excluded.paths) x order by x limit ${MAX_LISTED}) s) end`);
  await tx.execute(sql`
    insert into host_executables (host_id, sha256, process_count, names, paths, last_run_id, first_seen_at, last_seen_at)
    select host_id, sha256, n, names, paths, ${runId}, started_at, started_at from (${cur}) c
    on conflict (host_id, sha256) do update
       set process_count = excluded.process_count, names = excluded.names, paths = excluded.paths,
           last_run_id = excluded.last_run_id, last_seen_at = excluded.last_seen_at,
           first_seen_at = least(host_executables.first_seen_at, excluded.first_seen_at)
     where excluded.last_seen_at >= host_executables.last_seen_at`);
}

export async function upsertHostAgent(
  tx: Db,
  hostId: number,
  agentVersion: string,
  tokenId: number | null,
): Promise<void> {
  await tx.execute(sql`
    insert into host_agents (host_id, agent_version, token_id, last_push_at) values (${hostId}, ${agentVersion}, ${tokenId}, now())
    on conflict (host_id) do update set agent_version = excluded.agent_version, token_id = excluded.token_id, last_push_at = now()`);
}

export async function findIngestedSnapshot(tx: Db, snapshotId: string): Promise<number | null> {
  const [r] = await rows<{ run_id: number }>(
    tx,
    sql`select run_id from ingested_snapshots where snapshot_id = ${snapshotId}`,
  );
  return r ? Number(r.run_id) : null;
}

/** Taken before looking a snapshot id up, so two deliveries of one snapshot store it once. */
export async function lockSnapshotId(tx: Db, snapshotId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${snapshotId}, 0))`);
}

export async function recordIngestedSnapshot(
  tx: Db,
  s: { snapshotId: string; runId: number; tokenId: number | null; agentVersion: string | null },
): Promise<void> {
  await tx.execute(sql`
    insert into ingested_snapshots (snapshot_id, run_id, token_id, agent_version)
    values (${s.snapshotId}, ${s.runId}, ${s.tokenId}, ${s.agentVersion})`);
}

export interface HostRow extends Row {
  id: number;
  hostname: string;
  hostKey: string;
  platform: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  agentVersion: string | null;
  lastRunId: number | null;
  processes: number;
  executables: number;
  malicious: number;
  needsResearch: number;
  /** New VirusTotal lookups the host's agent snapshots queued on `today` (its share spent). */
  vtQueuedToday: number;
  /** Hashes of its newest run its share left out of the queue, still not asked. */
  vtHeldLastRun: number;
}

/**
 * Every host with its newest completed run's counts. Malicious / needs research are the verdict
 * rule of domain/verdict.ts (`verdictSql`) with the threshold in force, counted over the
 * executables of that newest run.
 */
export async function listFleetHosts(db: Db, threshold: number, today: string): Promise<HostRow[]> {
  const verdict = verdictSql(verdictColsOf('v'), threshold);
  const out = await rows<HostRow>(
    db,
    sql`select h.id, h.hostname, h.host_key as "hostKey", h.platform,
               h.first_seen_at as "firstSeenAt", h.last_seen_at as "lastSeenAt",
               ha.agent_version as "agentVersion", lr.id as "lastRunId",
               coalesce(lr.process_count, 0)::int as processes,
               coalesce(lr.distinct_executables, 0)::int as executables,
               coalesce(c.malicious, 0)::int as malicious, coalesce(c.needs_research, 0)::int as "needsResearch",
               coalesce(sh.queued, 0)::int as "vtQueuedToday",
               (select count(*)::int from vt_run_held hx
                 where hx.run_id = lr.id and ${heldSql(sql`lr.id`, sql`hx.sha256`)}) as "vtHeldLastRun"
          from hosts h
          left join vt_host_shares sh on sh.host_id = h.id and sh.day = ${today}
          left join host_agents ha on ha.host_id = h.id
          left join lateral (select id, process_count, distinct_executables from runs
                              where host_id = h.id and status = 'completed'
                              order by started_at desc, id desc limit 1) lr on true
          left join lateral (select count(*) filter (where ${verdict} = 'malicious') as malicious,
                                    count(*) filter (where ${verdict} = 'needs-research') as needs_research
                               from host_executables he join vt_verdicts v on v.sha256 = he.sha256
                              where he.host_id = h.id and he.last_run_id = lr.id) c on true
         order by h.hostname, h.id`,
  );
  return out.map((r) => ({ ...r, firstSeenAt: new Date(r.firstSeenAt), lastSeenAt: new Date(r.lastSeenAt) }));
}

/** The VirusTotal fields are the ones every table reads its state from (domain/vt-state.ts). */
export interface PrevalenceRow extends Row, Omit<VtRowFields, 'sha256' | 'unresolvedMd5' | 'exeStatus'> {
  sha256: string;
  md5: string;
  sha1: string;
  hosts: number;
  processes: number;
  names: string[];
  paths: string[];
  lastSeenAt: Date;
  /** Triage (issue 12): the decision in force, or null. */
  triageDecision: TriageDecision | null;
  triageNote: string | null;
  triageBy: string | null;
  triageAt: Date | null;
}

export interface PrevalenceQuery {
  /** Only executables seen on at most this many hosts. */
  maxHosts?: number;
  /** Only what hosts ran since then (null: all time, from the precomputed counts). */
  since?: Date | null;
  sort: 'hosts' | 'vtScore';
  limit: number;
  /** Only "untriaged with VTScore ≥ 1" (domain/triage.ts `needsTriage`). */
  untriaged?: boolean;
}

/**
 * One row per distinct executable across the fleet. All time reads the precomputed counts; a
 * window counts host_executables seen since its start.
 */
export async function fleetPrevalence(db: Db, q: PrevalenceQuery): Promise<PrevalenceRow[]> {
  // A window counts from host_executables (names and paths of the hosts in it); all time reads
  // the precomputed row.
  const counts = q.since
    ? sql`(select sha256, count(*)::int as host_count, sum(process_count)::int as process_count, max(last_seen_at) as last_seen_at,
                  (select coalesce(array_agg(distinct n order by n), '{}') from host_executables h2, unnest(h2.names) n
                    where h2.sha256 = w.sha256 and h2.last_seen_at >= ${q.since}) as names,
                  (select coalesce(array_agg(distinct x order by x), '{}') from host_executables h2, unnest(h2.paths) x
                    where h2.sha256 = w.sha256 and h2.last_seen_at >= ${q.since}) as paths
             from host_executables w where last_seen_at >= ${q.since} group by sha256)`
    : sql`executable_prevalence`;
  const v = verdictColsOf('v');
  const order =
    q.sort === 'hosts'
      ? sql`p.host_count asc, ${vtScoreSql(v)} desc nulls last, p.sha256`
      : sql`${vtScoreSql(v)} desc nulls last, p.host_count asc, p.sha256`;
  return rows<PrevalenceRow>(
    db,
    sql`select p.sha256, e.md5, e.sha1, p.host_count as hosts, p.process_count as processes,
               p.last_seen_at as "lastSeenAt",
               p.names, p.paths,
               v.found as "vtFound", v.vt_score as "vtScore", v.total_engines as "vtTotalEngines",
               v.threat_label as "vtThreatLabel", j.status as "vtJobStatus", j.last_error as "vtJobError",
               t.decision as "triageDecision", t.note as "triageNote", t.decided_by as "triageBy",
               t.decided_at as "triageAt"
          from ${counts} p
          join executables e on e.sha256 = p.sha256
          left join vt_verdicts v on v.sha256 = p.sha256
          left join vt_jobs j on j.sha256 = p.sha256
          left join hash_triage t on t.sha256 = p.sha256
         where (${q.maxHosts ?? null}::int is null or p.host_count <= ${q.maxHosts ?? null}::int)
           and (not ${q.untriaged ?? false}::boolean or ${needsTriageSql(v, sql`t.decision`)})
         order by ${order}
         limit ${q.limit}`,
  );
}

/** The hosts and processes (from each host's newest snapshot) that ran one executable. */
export async function hashHostsAndProcesses(db: Db, sha256: string) {
  const hostRows = await rows<{
    hostId: number;
    hostname: string;
    processes: number;
    names: string[];
    paths: string[];
    lastSeenAt: Date;
    runId: number;
  }>(
    db,
    sql`select h.id as "hostId", h.hostname, he.process_count as processes, he.names, he.paths,
               he.last_seen_at as "lastSeenAt", he.last_run_id as "runId"
          from host_executables he join hosts h on h.id = he.host_id
         where he.sha256 = ${sha256} order by h.hostname, h.id`,
  );
  const procRows = await rows<{
    hostname: string;
    runId: number;
    pid: number;
    name: string;
    user: string;
    exe: string | null;
  }>(
    db,
    sql`select h.hostname, rp.run_id as "runId", rp.pid, rp.name, rp."user" as "user", rp.exe_path as exe
          from host_executables he
          join run_processes rp on rp.run_id = he.last_run_id and rp.sha256 = he.sha256
          join hosts h on h.id = he.host_id
         where he.sha256 = ${sha256} order by h.hostname, rp.pid limit 5000`,
  );
  return { hosts: hostRows, processes: procRows };
}

export interface NewKnownRow extends Row {
  day: string;
  new: number;
  known: number;
}

/**
 * New vs known executables per UTC day, over completed runs from every host: an executable seen on
 * a day counts once that day, as new when no run of any host had it on an earlier day. One
 * aggregate; the first-seen day looks at all history, the days listed are those from `since` on.
 */
export async function newVsKnownByDay(db: Db, q: { since: Date; until: Date }): Promise<NewKnownRow[]> {
  return rows<NewKnownRow>(
    db,
    sql`with seen as (
          select rp.sha256, (r.started_at at time zone 'UTC')::date as day
            from run_processes rp join runs r on r.id = rp.run_id
           where rp.sha256 is not null and r.status = 'completed' and r.started_at < ${q.until}
           group by rp.sha256, day),
        first_seen as (select sha256, min(day) as first_day from seen group by sha256)
        select to_char(s.day, 'YYYY-MM-DD') as day,
               count(*) filter (where s.day = f.first_day)::int as new,
               count(*) filter (where s.day > f.first_day)::int as known
          from seen s join first_seen f using (sha256)
         where s.day >= (${q.since}::timestamptz at time zone 'UTC')::date
         group by s.day
         order by s.day`,
  );
}
