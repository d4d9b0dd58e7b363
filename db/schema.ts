import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

import type { HeuristicCode, PackageIntegrity } from '../domain/heuristics';
import type { HostDescription } from '../domain/host';
import type { ExeStatus } from '../domain/process';
import type { RunOptions, RunSource, RunStatus } from '../domain/runs';
import type { TriageDecision } from '../domain/triage';
import type { VtEngineResult } from '../domain/verdict';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A machine whose processes were collected. `hostKey` is its machine-id when it has one, else its hostname. */
export const hosts = pgTable('hosts', {
  id: serial('id').primaryKey(),
  hostKey: text('host_key').notNull().unique(),
  hostname: text('hostname').notNull(),
  platform: text('platform').notNull(),
  firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
});

export type HostFactsJson = HostDescription;

export const runs = pgTable(
  'runs',
  {
    id: serial('id').primaryKey(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id),
    source: text('source').$type<RunSource>().notNull(),
    status: text('status').$type<RunStatus>().notNull().default('running'),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    /** Touched while a collection is under way; a stale one after a crash marks the run failed. */
    heartbeatAt: ts('heartbeat_at').notNull().defaultNow(),
    error: text('error'),
    options: jsonb('options').$type<RunOptions>().notNull(),
    hostFacts: jsonb('host_facts').$type<HostFactsJson>(),
    /** Processes seen before the memory filter, and kept after it. */
    totalProcesses: integer('total_processes').notNull().default(0),
    processCount: integer('process_count').notNull().default(0),
    distinctExecutables: integer('distinct_executables').notNull().default(0),
    hashedFiles: integer('hashed_files').notNull().default(0),
    cacheHits: integer('cache_hits').notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('runs_host_started_idx').on(t.hostId, t.startedAt), index('runs_status_idx').on(t.status)],
);

/** One row per distinct executable content, shared by every run and host. */
export const executables = pgTable(
  'executables',
  {
    sha256: text('sha256').primaryKey(),
    md5: text('md5').notNull(),
    sha1: text('sha1').notNull(),
    /** null when only an imported workbook named the file (no size recorded there) — issue 12 item 1. */
    size: bigint('size', { mode: 'number' }),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
  },
  // Issue 12 item 1: an imported MD5 finds its executable (and so its cached verdict) without a request.
  (t) => [index('executables_md5_idx').on(t.md5)],
);

export const runProcesses = pgTable(
  'run_processes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    pid: integer('pid').notNull(),
    ppid: integer('ppid').notNull(),
    name: text('name').notNull(),
    user: text('user').notNull(),
    state: text('state').notNull(),
    processStartedAt: ts('process_started_at'),
    rssBytes: bigint('rss_bytes', { mode: 'number' }).notNull(),
    memoryPercent: doublePrecision('memory_percent').notNull(),
    cpuPercent: doublePrecision('cpu_percent').notNull(),
    cmdline: text('cmdline').notNull(),
    exePath: text('exe_path'),
    exeStatus: text('exe_status').$type<ExeStatus>().notNull(),
    exeError: text('exe_error'),
    sha256: text('sha256').references(() => executables.sha256),
    // ---- issue 12: analyst's loop (package integrity, heuristics, effective user) ----
    /** Effective user (what `ps` shows); null for runs collected before it was recorded. */
    effectiveUser: text('effective_user'),
    /** Owning dpkg package of the executable. */
    package: text('package'),
    integrity: text('integrity').$type<PackageIntegrity>(),
    heuristics: jsonb('heuristics').$type<HeuristicCode[]>().notNull().default([]),
    // ---- issue 12 item 1: workbook import ----
    /**
     * A process imported from a workbook that gave only its MD5 (the older script's sheet): the id
     * it is looked up on VirusTotal by until its SHA-256 is known. Set only while `sha256` is null;
     * the lookup (or a later run naming the same MD5) fills `sha256` and clears this.
     */
    unresolvedMd5: text('unresolved_md5'),
  },
  (t) => [
    index('run_processes_run_idx').on(t.runId),
    index('run_processes_sha256_idx').on(t.sha256),
    index('run_processes_unresolved_md5_idx')
      .on(t.unresolvedMd5)
      .where(sql`${t.unresolvedMd5} is not null`),
  ],
);

/**
 * Remembers the hashes of a file by its identity on one host, so an unchanged executable is never
 * read twice. Any change of size, mtime or ctime (or a new inode) misses.
 */
export const hashCache = pgTable(
  'hash_cache',
  {
    hostKey: text('host_key').notNull(),
    dev: text('dev').notNull(),
    ino: text('ino').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mtimeNs: text('mtime_ns').notNull(),
    ctimeNs: text('ctime_ns').notNull(),
    sha256: text('sha256').notNull(),
    md5: text('md5').notNull(),
    sha1: text('sha1').notNull(),
    lastUsedAt: ts('last_used_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.hostKey, t.dev, t.ino] })],
);

/** Key/value settings changed from the UI (values are JSON). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

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
    /** The host's own lookup rank (db/queries/vt-plan.ts runRankSql): 0 first … 3 a distro binary. */
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

// ---- Hosted mode: people, agent tokens, fleet (issue 11) ----------------------------------------

/** Better Auth's tables (email + password, database sessions, admin plugin fields). */
export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  role: text('role'),
  banned: boolean('banned').default(false),
  banReason: text('ban_reason'),
  banExpires: ts('ban_expires'),
});

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    impersonatedBy: text('impersonated_by'),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable(
  'verification',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('verification_identifier_idx').on(t.identifier)],
);

/**
 * Tokens agents push snapshots with. Only the SHA-256 of a token is stored; the prefix (its first
 * characters) tells tokens apart in lists without being usable.
 */
export const agentTokens = pgTable('agent_tokens', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  tokenHash: text('token_hash').notNull().unique(),
  prefix: text('prefix').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** Who made it, as shown: a person's email, `local` (loopback dashboard) or `cli`. */
  createdBy: text('created_by'),
  /**
   * The admin a token belongs to; it authenticates only while they are an admin in good standing
   * (db/queries/agent-tokens.ts, tokenStatus). Null with ownerEmail null: the operator's token (made
   * from the CLI or a local dashboard). No foreign key on purpose: the id outlives the person, so
   * the list can say the token died with its owner.
   */
  ownerId: text('owner_id'),
  /** The owner's email when the token was given to them (the record once they are gone). */
  ownerEmail: text('owner_email'),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
});

/**
 * Sign-in throttling (issue 17 item 6; the rule is domain/sign-in-throttle.ts). One row per
 * `account:<email>` and per `address:<ip or v6 /64>` that failed recently; in the database so that
 * several app processes share it. Rows whose wait ended long ago are deleted as attempts come.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    blockedUntil: ts('blocked_until').notNull(),
  },
  (t) => [index('sign_in_throttle_blocked_until_idx').on(t.blockedUntil)],
);

/** Snapshot ids already stored, so a replayed push answers with the same run and writes nothing. */
export const ingestedSnapshots = pgTable('ingested_snapshots', {
  snapshotId: text('snapshot_id').primaryKey(),
  runId: integer('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  tokenId: integer('token_id').references(() => agentTokens.id, { onDelete: 'set null' }),
  agentVersion: text('agent_version'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

/** Which executables each host has run (its latest snapshot's counts), refreshed per snapshot. */
export const hostExecutables = pgTable(
  'host_executables',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    sha256: text('sha256')
      .notNull()
      .references(() => executables.sha256),
    processCount: integer('process_count').notNull(),
    names: text('names').array().notNull(),
    paths: text('paths').array().notNull(),
    lastRunId: integer('last_run_id').notNull(),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.hostId, t.sha256] }),
    index('host_executables_sha256_idx').on(t.sha256, t.lastSeenAt),
  ],
);

/** Fleet-wide prevalence per executable, kept in step with host_executables as snapshots arrive. */
export const executablePrevalence = pgTable(
  'executable_prevalence',
  {
    sha256: text('sha256').primaryKey(),
    hostCount: integer('host_count').notNull(),
    processCount: integer('process_count').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    /** Names and paths seen anywhere (first 50 of each, sorted), merged as snapshots arrive. */
    names: text('names')
      .array()
      .notNull()
      .default(sql`'{}'`),
    paths: text('paths')
      .array()
      .notNull()
      .default(sql`'{}'`),
  },
  (t) => [index('executable_prevalence_hosts_idx').on(t.hostCount, t.sha256)],
);

/** The agent each host last pushed from. */
export const hostAgents = pgTable('host_agents', {
  hostId: integer('host_id')
    .primaryKey()
    .references(() => hosts.id, { onDelete: 'cascade' }),
  agentVersion: text('agent_version').notNull(),
  tokenId: integer('token_id').references(() => agentTokens.id, { onDelete: 'set null' }),
  lastPushAt: ts('last_push_at').notNull().defaultNow(),
});

// ---- Triage: analysts' decisions per executable (issue 12, item 5) ------------------------------

/**
 * The decision in force for a hash (one row per SHA-256, so it follows the hash into every run and
 * host). VirusTotal's tables are never written by triage. Clearing a decision deletes this row; the
 * log below keeps every change.
 */
export const hashTriage = pgTable('hash_triage', {
  sha256: text('sha256')
    .primaryKey()
    .references(() => executables.sha256),
  decision: text('decision').$type<TriageDecision>().notNull(),
  note: text('note').notNull().default(''),
  /** Who decided, as shown: "Name <email>" in hosted mode, "local user <name>" on localhost. */
  decidedBy: text('decided_by').notNull(),
  /** The Better Auth user id in hosted mode; null for the local user. */
  decidedById: text('decided_by_id'),
  decidedAt: ts('decided_at').notNull().defaultNow(),
  /** The log entry this state came from (an edit based on an older one is refused). */
  logId: bigint('log_id', { mode: 'number' }).notNull(),
});

/** Append-only: every decision and every clearing (decision null), newest last. */
export const hashTriageLog = pgTable(
  'hash_triage_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sha256: text('sha256')
      .notNull()
      .references(() => executables.sha256),
    /** null: the decision was cleared. */
    decision: text('decision').$type<TriageDecision>(),
    note: text('note').notNull().default(''),
    decidedBy: text('decided_by').notNull(),
    decidedById: text('decided_by_id'),
    decidedAt: ts('decided_at').notNull().defaultNow(),
  },
  (t) => [index('hash_triage_log_sha256_idx').on(t.sha256, t.id)],
);
// ---- Run diff (issue 12 item 2) -----------------------------------------------------------------

/** The run a host's other runs are compared with when asked for "baseline" (one per host; pinned by an analyst). */
export const hostBaselines = pgTable('host_baselines', {
  hostId: integer('host_id')
    .primaryKey()
    .references(() => hosts.id, { onDelete: 'cascade' }),
  runId: integer('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  pinnedAt: ts('pinned_at').notNull().defaultNow(),
  /** Who pinned it: a person's email in hosted mode, `local` on a loopback dashboard, `cli`. */
  pinnedBy: text('pinned_by'),
});
