import type { ExeStatus, HostDescription } from '../processes/types';

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
}

export interface RunExport {
  run: ExportRun;
  host: ExportHost;
  /** Ordered as the run stores them: memory % descending. */
  processes: ExportProcess[];
}
