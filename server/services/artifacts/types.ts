import type { HeuristicCode, PackageIntegrity } from '@/domain/heuristics';
import type { ExeStatus, HostDescription } from '../processes/types';
import type { PendingState, Verdict } from '../virustotal/verdict';

/**
 * Everything an export needs about one run, already loaded: exports are pure functions of this
 * (rows in, bytes out), shared by the HTTP downloads and the CLI.
 */
export type ExportHost = HostDescription;

export interface ExportRun {
  /** null for a run that was not stored (`proclens collect --no-store`). */
  id: number | null;
  source: 'dashboard' | 'cli' | 'agent';
  status: 'running' | 'completed' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  minMemoryPercent: number;
  totalProcesses: number;
  processCount: number;
  distinctExecutables: number;
  durationMs: number | null;
}

export interface ExportProcess {
  pid: number;
  ppid: number;
  name: string;
  user: string;
  memoryPercent: number;
  cpuPercent: number;
  exe: string | null;
  exeStatus: ExeStatus;
  exeError: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  /** Effective user; absent or null when the collector did not record it. */
  effectiveUser?: string | null;
  /** Owning dpkg package and the integrity verdict; absent or null when not checked. */
  package?: string | null;
  integrity?: PackageIntegrity | null;
  heuristics?: readonly HeuristicCode[];
  /**
   * What VirusTotal says about this process's executable. Absent (or null) when VirusTotal is not
   * part of this export: the workbook/CSV VT cells stay empty and no "Hashes" sheet is written.
   * Documents that must classify every process (vt_results.txt, the check JSON) read an absent
   * value as "not hashed" when `sha256` is null and "pending" otherwise (see `vtStatusOf`).
   */
  vt?: ExportVt | null;
}

/**
 * VirusTotal's answer for one hash, as the loader found it. The verdict is decided once, by the
 * loader with `verdictFor` and the threshold in force for the run; exports show it, never re-decide.
 * The GUI link is not carried: it is `vtGuiLink(sha256)`, derived where it is shown.
 */
export interface ExportVtChecked {
  state: 'checked';
  /** VTScore (engines that call the file malicious); null = VirusTotal has no report for the hash. */
  vtScore: number | null;
  verdict: Verdict;
  /** Engines that analysed the file (VirusTotal's stats summed); null when unknown or not found. */
  totalEngines: number | null;
  /** VirusTotal's suggested threat label (untrusted text); null when it has none. */
  threatLabel: string | null;
}

/** The hash is queued (`pending`) or its lookup gave up (`failed`); `reason` is for people. */
export interface ExportVtUnresolved {
  state: PendingState;
  reason: string | null;
}

/** Nothing to look up (kernel thread, permission denied, too large…); `reason`: usually the exe status. */
export interface ExportVtNotHashed {
  state: 'not-hashed';
  reason: string;
}

export type ExportVt = ExportVtChecked | ExportVtUnresolved | ExportVtNotHashed;

export interface RunExport {
  run: ExportRun;
  host: ExportHost;
  /** Ordered as the run stores them: memory % descending. */
  processes: ExportProcess[];
}
