import type { HeuristicCode, PackageIntegrity } from '@/domain/heuristics';
import type { ExeStatus } from '../processes/types';
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

export interface RunJsonProcess {
  pid: number;
  ppid: number;
  /** Kernel's short name; untrusted text. */
  name: string;
  user: string;
  /** Resident memory as % of total RAM, full precision. */
  memoryPercent: number;
  /** The true executable path, or null when there is none or it is unknown (see `exeStatus`). */
  exe: string | null;
  exeStatus: ExeStatus;
  /** Lowercase hex; null when the executable was not hashed. */
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  /** Effective user (what `ps` shows); null when not recorded. `user` is the real user. */
  effectiveUser: string | null;
  /** Owning dpkg package; null when none lists the executable or it was not checked. */
  package: string | null;
  /** `matches`, `modified`, `not-packaged`; null when not checked (no dpkg database, not hashed). */
  integrity: PackageIntegrity | null;
  /** Suspicious-executable heuristics that fired (codes; README lists them). */
  heuristics: HeuristicCode[];
}

// Fields are copied one by one (never spread) so a field added to the input types cannot leak into
// the public document unnoticed.

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
  return {
    pid: p.pid,
    ppid: p.ppid,
    name: p.name,
    user: p.user,
    memoryPercent: p.memoryPercent,
    exe: p.exe,
    exeStatus: p.exeStatus,
    md5: p.md5 ?? null,
    sha1: p.sha1 ?? null,
    sha256: p.sha256 ?? null,
    effectiveUser: p.effectiveUser ?? null,
    package: p.package ?? null,
    integrity: p.integrity ?? null,
    heuristics: [...(p.heuristics ?? [])],
  };
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
