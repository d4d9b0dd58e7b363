import { JSON_PROCESS_FIELDS, type RunJsonProcess } from '@/domain/process';
import type { ExportHost, ExportProcess, ExportRun, RunExport } from './types';

/**
 * The CLI's JSON output (`proclens … --json`). Public contract: fields may be added, never renamed,
 * removed or retyped. Every field is always present; "unknown" is `null`, never omitted.
 */
export interface RunJsonDocument {
  run: RunJsonRun;
  /** In the run's stored order: memory % descending. */
  processes: RunJsonProcess[];
}

export interface RunJsonRun {
  /** null when the run was not stored (`proclens collect --no-store`). */
  id: number | null;
  /** The hostname (the full host facts are in `hostFacts`). */
  host: string;
  /** ISO 8601, UTC (`2024-01-02T03:04:05.000Z`). */
  startedAt: string;
  /** ISO 8601, UTC; null while the run is still running. */
  finishedAt: string | null;
  status: ExportRun['status'];
  source: ExportRun['source'];
  /** Processes below this memory % were not kept (0 keeps all). */
  minMemoryPercent: number;
  /** Processes seen before the memory filter. */
  totalProcesses: number;
  /** Processes kept (the length of `processes`). */
  processCount: number;
  distinctExecutables: number;
  durationMs: number | null;
  hostFacts: RunJsonHostFacts;
}

export type RunJsonHostFacts = ExportHost;

/** One process: the fields of JSON_PROCESS_FIELDS (domain/process.ts), in that order. */
export type { RunJsonProcess } from '@/domain/process';

// Fields are copied by name (never spread) so a field added to the input types cannot leak into the
// public document unnoticed: the JSON gains a field only by an entry in JSON_PROCESS_FIELDS.

function hostFacts(host: ExportHost): RunJsonHostFacts {
  return {
    hostname: host.hostname,
    platform: host.platform,
    distro: host.distro,
    release: host.release,
    kernel: host.kernel,
    arch: host.arch,
    totalMemoryBytes: host.totalMemoryBytes,
    cpuModel: host.cpuModel,
    cpuCores: host.cpuCores,
  };
}

function processEntry(p: ExportProcess): RunJsonProcess {
  const entry: Record<string, unknown> = {};
  for (const f of JSON_PROCESS_FIELDS) {
    const v = p[f];
    entry[f] = Array.isArray(v) ? [...v] : (v ?? null);
  }
  return entry as RunJsonProcess;
}

/** The `run` object shared by every CLI JSON document (`collect --json`, `check --json`). */
export function buildRunJsonRun(data: RunExport): RunJsonRun {
  const { run, host } = data;
  return {
    id: run.id,
    host: host.hostname,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt === null ? null : run.finishedAt.toISOString(),
    status: run.status,
    source: run.source,
    minMemoryPercent: run.minMemoryPercent,
    totalProcesses: run.totalProcesses,
    processCount: run.processCount,
    distinctExecutables: run.distinctExecutables,
    durationMs: run.durationMs,
    hostFacts: hostFacts(host),
  };
}

/** The run as the CLI's JSON document (an object; `JSON.stringify` it to print). */
export function buildRunJson(data: RunExport): RunJsonDocument {
  return {
    run: buildRunJsonRun(data),
    processes: data.processes.map(processEntry),
  };
}
