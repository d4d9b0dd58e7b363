import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import type { VtEngineResult } from '../../domain/verdict';
import { ts } from './columns';
import { hosts, runs } from './runs';

// ---- VirusTotal -------------------------------------------------------------------------------

/** The latest VirusTotal answer per SHA-256, shared by every run and host (the verdict cache). */
export const vtVerdicts = pgTable('vt_verdicts', {
  sha256: text('sha256').primaryKey(),
  /** false: VirusTotal has no report for the hash ("The secure score is not found"). */
  found: boolean('found').notNull(),
  vtScore: integer('vt_score'),
  stats: jsonb('stats').$type<Record<string, number>>(),
  suspicious: integer('suspicious'),
  totalEngines: integer('total_engines'),
  lastAnalysisAt: ts('last_analysis_at'),
  threatLabel: text('threat_label'),
  meaningfulName: text('meaningful_name'),
  typeDescription: text('type_description'),
  engines: jsonb('engines').$type<VtEngineResult[]>(),
  fetchedAt: ts('fetched_at').notNull(),
});

export type VtJobStatus = 'queued' | 'done' | 'failed';

/**
 * One lookup to make, per SHA-256 (so a hash shared by many runs is requested once). Workers claim
 * queued jobs with FOR UPDATE SKIP LOCKED and hold a lease while they wait for the rate limiter.
 */
export const vtJobs = pgTable(
  'vt_jobs',
  {
    sha256: text('sha256').primaryKey(),
    status: text('status').$type<VtJobStatus>().notNull().default('queued'),
    /** Transient failures so far; bounded by MAX_TRANSIENT_ATTEMPTS. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('vt_jobs_ready_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * Which hosts wait for a lookup (issue 17 item 10): one row per host and job, so a hash shared by
 * several hosts is still one job and one request. The claim serves hosts in turn within a priority
 * and each host's own jobs by its own rank, so what one host claims orders only its own lookups.
 * A row exists while an active check of one of the host's runs needs the job.
 */
export const vtJobHosts = pgTable(
  'vt_job_hosts',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    sha256: text('sha256')
      .notNull()
      .references(() => vtJobs.sha256, { onDelete: 'cascade' }),
    /** domain/vt-queue.ts QUEUE_PRIORITY: 0 a person asked (or a local run), 1 an agent's snapshot. */
    priority: smallint('priority').notNull(),
    /** The host's own lookup rank (db/rules/lookup.ts runRankSql): 0 first … 3 a distro binary. */
    rank: smallint('rank').notNull(),
    /** Hosts that ran the file when it was queued (fewest first within a rank, then the oldest). */
    hostCount: integer('host_count').notNull(),
    queuedAt: ts('queued_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.hostId, t.sha256] }),
    // The claim's walk: one host's jobs of one priority in its own order.
    index('vt_job_hosts_turn_idx').on(t.hostId, t.priority, t.rank, t.hostCount, t.queuedAt, t.sha256),
    index('vt_job_hosts_sha256_idx').on(t.sha256),
  ],
);

/**
 * Whose turn it is: one row per host and priority while the host waits for lookups at that
 * priority, with when it was last served. The claim serves the least recently served first (a host
 * that comes back with new work after its queue emptied starts with no time: it goes first).
 */
export const vtHostTurns = pgTable(
  'vt_host_turns',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    priority: smallint('priority').notNull(),
    servedAt: ts('served_at'),
  },
  (t) => [
    primaryKey({ columns: [t.hostId, t.priority] }),
    // The claim walks this in order and stops at the first host with a free job.
    index('vt_host_turns_order_idx').on(t.priority, t.servedAt.asc().nullsFirst(), t.hostId),
  ],
);

/** New lookups an agent's snapshots queued per host and UTC day (INGEST_VT_NEW_PER_HOST_DAY caps it). */
export const vtHostShares = pgTable(
  'vt_host_shares',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    /** UTC day (YYYY-MM-DD), as the VirusTotal quota counts. */
    day: text('day').notNull(),
    queued: integer('queued').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.day] })],
);

/**
 * Hashes of an agent's run left out of the queue because its host was over its daily share ("not
 * queued: host over its share"). Kept so the run says how many and which; an analyst's check of
 * the run queues them, and the host's next snapshot queues those still running on a new day.
 */
export const vtRunHeld = pgTable(
  'vt_run_held',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    heldAt: ts('held_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.sha256] })],
);

export type VtCheckStatus = 'active' | 'completed' | 'cancelled';

/** A request to check one run's hashes; cancelling it stops lookups no other active check needs. */
export const vtRunChecks = pgTable('vt_run_checks', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  status: text('status').$type<VtCheckStatus>().notNull().default('active'),
  requestedAt: ts('requested_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
  /** Hashes that needed a request when the check started (the rest were cached). */
  uncachedAtStart: integer('uncached_at_start').notNull().default(0),
  requestsMade: integer('requests_made').notNull().default(0),
});

/**
 * The shared VirusTotal quota, one row per account ('default'). Every permit is taken under a row
 * lock, so any number of workers in any number of processes stay within the key's rate.
 */
export const vtQuota = pgTable('vt_quota', {
  id: text('id').primaryKey(),
  nextAllowedAt: ts('next_allowed_at').notNull().defaultNow(),
  /** UTC day the counter belongs to (YYYY-MM-DD). */
  day: text('day').notNull(),
  dayCount: integer('day_count').notNull().default(0),
  /** Set when requests must stop: the daily quota (until 00:00 UTC) or a rejected key. */
  pausedUntil: ts('paused_until'),
  pauseReason: text('pause_reason').$type<'daily' | 'auth'>(),
  pauseMessage: text('pause_message'),
  lastRequestAt: ts('last_request_at'),
});
