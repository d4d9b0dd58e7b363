import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
} from 'drizzle-orm/pg-core';
import type { HeuristicCode, PackageIntegrity } from '../../domain/heuristics';
import type { HostDescription } from '../../domain/host';
import type { ExeStatus } from '../../domain/process';
import type { RunOptions, RunSource, RunStatus } from '../../domain/runs';
import { ts } from './columns';

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
