import { bigint, bigserial, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import type { TriageDecision } from '../../domain/triage';
import { ts } from './columns';
import { executables, hosts, runs } from './runs';

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
