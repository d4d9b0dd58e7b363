import type { HostDescription } from '@/domain/host';
import type { ProcessView } from '@/domain/process';
import type { RunSource, RunStatus } from '@/domain/runs';
import type { TriageDecision } from '@/domain/triage';
import type { HashVtState } from '@/domain/verdict';

/**
 * Everything an export needs about one run, already loaded: exports are pure functions of this
 * (rows in, bytes out), shared by the HTTP downloads and the CLI.
 */
export type ExportHost = HostDescription;

export interface ExportRun {
  /** null for a run that was not stored (`proclens collect --no-store`). */
  id: number | null;
  source: RunSource;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  minMemoryPercent: number;
  totalProcesses: number;
  processCount: number;
  distinctExecutables: number;
  durationMs: number | null;
}

/** One process of the run (domain/process.ts, hashes side by side) and its VirusTotal answer. */
export type ExportProcess = ProcessView & {
  /**
   * What VirusTotal says about this process's executable. Absent (or null) when VirusTotal is not
   * part of this export: the workbook/CSV VT cells stay empty and no "Hashes" sheet is written.
   * Documents that must classify every process (vt_results.txt, the check JSON) read an absent
   * value as "not hashed" when `sha256` is null and "pending" otherwise (see `vtStatusOf`).
   */
  vt?: HashVtState | null;
};

export interface RunExport {
  run: ExportRun;
  host: ExportHost;
  /** Ordered as the run stores them: memory % descending. */
  processes: ExportProcess[];
  /** Analysts' decisions by SHA-256 (only the IOC lists read them); absent: none known. */
  triage?: Readonly<Record<string, TriageDecision>>;
}
