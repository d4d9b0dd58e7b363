import type { VtEngineResult } from '@/domain/verdict';

/**
 * VirusTotal facts as ProcLens keeps them. The client turns an API v3 file report into a
 * `VtReport`; the queue stores it per SHA-256; verdicts and exports read it.
 */

export const VT_STAT_KEYS = [
  'harmless',
  'malicious',
  'suspicious',
  'undetected',
  'timeout',
  'confirmed-timeout',
  'failure',
  'type-unsupported',
] as const;

export type VtStatKey = (typeof VT_STAT_KEYS)[number];
export type VtStats = Record<VtStatKey, number>;

export interface VtReport {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  /** File size in bytes, when VirusTotal gives it. */
  size: number | null;
  /** VTScore: the number of engines that call the file malicious (`last_analysis_stats.malicious`). */
  vtScore: number;
  stats: VtStats;
  suspicious: number;
  /** Engines that produced a verdict on the file (all stats summed). */
  totalEngines: number;
  lastAnalysisAt: Date | null;
  threatLabel: string | null;
  meaningfulName: string | null;
  typeDescription: string | null;
  engines: VtEngineResult[];
  /** The human page for the hash. */
  link: string;
}

/**
 * What one lookup came to. `not-found` is an answer (VT never saw the hash); everything else but
 * `found` is a reason to wait, retry, or stop.
 */
export type VtLookupResult =
  | { kind: 'found'; report: VtReport }
  | { kind: 'not-found' }
  /** 429. `daily` when VT says the quota (not the per-minute rate) is used up. */
  | { kind: 'rate-limited'; daily: boolean; message: string }
  /** 401/403: the key is wrong, inactive or lacks privileges. Retrying will not help. */
  | { kind: 'auth'; status: number; code: string; message: string }
  /** 5xx, timeout, network failure, malformed body: retry with backoff. */
  | { kind: 'transient'; message: string }
  /** 400 (other than NotAvailableYet): this hash will not succeed as asked. */
  | { kind: 'rejected'; message: string };

export interface VtClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}
