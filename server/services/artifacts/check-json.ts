import type { PendingState, Verdict } from '@/domain/verdict';
import { hashGroups, type HashGroup } from './hash-groups';
import { buildRunJsonRun, type RunJsonRun } from './run-json';
import type { ExportProcess, RunExport } from './types';
import { vtEnginesOf, vtLinkOf, vtScoreOf, vtThreatLabelOf } from './vt-status';

/**
 * `proclens check --json`. Public contract, like `RunJsonDocument`: fields may be added, never
 * renamed, removed or retyped; every field is always present, "unknown" is `null`.
 */
export interface CheckJsonDocument {
  /** The same object as `buildRunJson(…).run`. */
  run: RunJsonRun;
  /**
   * One entry per distinct SHA-256 in the run: VTScore descending, then not found, failed, pending
   * (ties in the run's order). Processes without a hash (kernel threads, permission denied…) have
   * nothing to check and are not listed.
   */
  hashes: CheckJsonHash[];
}

export interface CheckJsonHash {
  /** Lowercase hex. */
  sha256: string;
  md5: string | null;
  sha1: string | null;
  /** Engines that call the file malicious; null when not found on VirusTotal or not checked yet. */
  vtScore: number | null;
  /** `pending`: not answered yet; `failed`: the lookup gave up. */
  verdict: Verdict | PendingState;
  /** Engines that analysed the file; null when VirusTotal has no report (or it is unknown). */
  engines: number | null;
  /** VirusTotal's suggested threat label; untrusted text. */
  threatLabel: string | null;
  /** The VirusTotal page for the hash; null unless VirusTotal has a report. */
  vtLink: string | null;
  /** In the run's order. */
  processes: CheckJsonProcess[];
}

export interface CheckJsonProcess {
  pid: number;
  /** Untrusted text. */
  name: string;
  exe: string | null;
}

// Fields are copied one by one (never spread), as in run-json.ts.

function processEntry(p: ExportProcess): CheckJsonProcess {
  return { pid: p.pid, name: p.name, exe: p.exe };
}

function hashEntry(g: HashGroup): CheckJsonHash {
  return {
    sha256: g.sha256,
    md5: g.md5,
    sha1: g.sha1,
    vtScore: vtScoreOf(g.vt),
    verdict: g.vt.state === 'checked' ? g.vt.verdict : g.vt.state,
    engines: vtEnginesOf(g.vt),
    threatLabel: vtThreatLabelOf(g.vt),
    vtLink: vtLinkOf(g.sha256, g.vt),
    processes: g.processes.map(processEntry),
  };
}

/** The run's hashes and their verdicts as the CLI's JSON document (`JSON.stringify` it to print). */
export function buildCheckJson(data: RunExport): CheckJsonDocument {
  return {
    run: buildRunJsonRun(data),
    hashes: hashGroups(data.processes).map(hashEntry),
  };
}
