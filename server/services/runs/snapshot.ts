import { z } from 'zod';
import { HEURISTIC_CODES, PACKAGE_INTEGRITIES } from '@/domain/heuristics';

/**
 * A collected snapshot as it travels from a collector that does not hold the database (the CLI
 * while a server runs, later agents on other hosts) to the one that stores it. Untrusted input:
 * every field is bounded.
 */
const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `must be ${n} lowercase hex digits`);
const text = (max: number) => z.string().max(max);

export const exeStatusSchema = z.enum([
  'ok',
  'deleted',
  'memfd',
  'kernel-thread',
  'permission-denied',
  'too-large',
  'unreadable',
  'unknown',
]);

export const snapshotSchema = z.object({
  host: z.object({
    hostKey: text(256).min(1),
    hostname: text(256).min(1),
    platform: text(64),
    distro: text(256),
    release: text(256),
    kernel: text(256),
    arch: text(64),
    totalMemoryBytes: z.number().nonnegative(),
    cpuModel: text(256),
    cpuCores: z.number().int().nonnegative(),
  }),
  startedAt: z.coerce.date(),
  minMemoryPercent: z.number().min(0).max(100),
  stats: z.object({
    totalProcesses: z.number().int().nonnegative(),
    processCount: z.number().int().nonnegative(),
    distinctExecutables: z.number().int().nonnegative(),
    hashedFiles: z.number().int().nonnegative(),
    cacheHits: z.number().int().nonnegative(),
    bytesRead: z.number().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
  processes: z
    .array(
      z.object({
        pid: z.number().int().nonnegative(),
        ppid: z.number().int().nonnegative(),
        name: text(4096),
        user: text(256),
        state: text(8),
        startedAt: z.coerce.date().nullable(),
        rssBytes: z.number().nonnegative(),
        memoryPercent: z.number().min(0).max(100),
        cpuPercent: z.number().min(0),
        cmdline: text(8192),
        exe: text(4096).nullable(),
        exeStatus: exeStatusSchema,
        exeError: text(1024).nullable(),
        hashes: z
          .object({ md5: hex(32), sha1: hex(40), sha256: hex(64), size: z.number().int().nonnegative() })
          .nullable(),
        // Added with package integrity and heuristics; older collectors omit them.
        effectiveUser: text(256).nullable().optional(),
        package: text(256).nullable().optional(),
        integrity: z.enum(PACKAGE_INTEGRITIES).nullable().optional(),
        heuristics: z.array(z.enum(HEURISTIC_CODES)).max(HEURISTIC_CODES.length).optional(),
      }),
    )
    .max(200_000),
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** What an agent pushes: a snapshot plus the id that makes a replay harmless, and its version. */
export const agentSnapshotSchema = snapshotSchema.extend({
  snapshotId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID'),
  agentVersion: text(64).min(1),
});

export type AgentSnapshot = z.infer<typeof agentSnapshotSchema>;
