import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { executables, hosts, runs } from './runs';

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
