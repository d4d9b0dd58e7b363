import { z } from 'zod';
import { processSchema } from '@/domain/process';
import {
  amountNumber,
  boundedDate,
  boundedText,
  countNumber,
  INT32_MAX,
  int32Count,
  percentNumber,
  TEXT_MAX,
} from '@/domain/limits';

export { exeStatusSchema } from '@/domain/process';

/**
 * A collected snapshot as it travels from a collector that does not hold the database (the CLI
 * while a server runs, later agents on other hosts) to the one that stores it. Untrusted input:
 * every field is bounded by the budgets of domain/limits.ts (text length, no NUL, numbers within
 * what the database column holds), so nothing reaches PostgreSQL that it would refuse with a 500.
 * Its processes are domain/process.ts's schema.
 */
const text = boundedText;
const required = (max: number) => boundedText(max).min(1, 'must not be empty');

export const snapshotSchema = z.object({
  host: z.object({
    hostKey: required(TEXT_MAX.hostKey),
    hostname: required(TEXT_MAX.hostname),
    platform: text(TEXT_MAX.shortFact),
    distro: text(TEXT_MAX.hostFact),
    release: text(TEXT_MAX.hostFact),
    kernel: text(TEXT_MAX.hostFact),
    arch: text(TEXT_MAX.shortFact),
    totalMemoryBytes: amountNumber,
    cpuModel: text(TEXT_MAX.hostFact),
    cpuCores: int32Count,
  }),
  startedAt: boundedDate,
  minMemoryPercent: percentNumber,
  // Counts and the duration are PostgreSQL integers; bytes read is a bigint.
  stats: z.object({
    totalProcesses: int32Count,
    processCount: int32Count,
    distinctExecutables: int32Count,
    hashedFiles: int32Count,
    cacheHits: int32Count,
    bytesRead: countNumber,
    durationMs: amountNumber.max(INT32_MAX),
  }),
  processes: z.array(processSchema).max(200_000),
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** What an agent pushes: a snapshot plus the id that makes a replay harmless, and its version. */
export const agentSnapshotSchema = snapshotSchema.extend({
  snapshotId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID'),
  agentVersion: required(TEXT_MAX.shortFact),
});

export type AgentSnapshot = z.infer<typeof agentSnapshotSchema>;

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'snapshot';
}

/**
 * The answer to a snapshot that does not parse: its first problem as one sentence naming the field
 * and, for a process, its index (`processes[12].name: must not contain a NUL character`).
 */
export function snapshotProblem(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  return first ? `The snapshot is invalid: ${issuePath(first.path)}: ${first.message}.` : 'The snapshot is invalid.';
}
