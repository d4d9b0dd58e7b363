import type { HashVtState } from './verdict';
import { verdictFor } from './verdict';

/** The VirusTotal columns a process or executable row carries from the database. */
export interface VtRowFields {
  sha256: string | null;
  /** An imported process known only by its MD5 (looked up by it until VirusTotal names the SHA-256). */
  unresolvedMd5?: string | null;
  exeStatus?: string;
  vtFound: boolean | null;
  vtScore: number | null;
  vtTotalEngines: number | null;
  vtThreatLabel: string | null;
  vtJobStatus: string | null;
  vtJobError: string | null;
}

/**
 * Where a row stands with VirusTotal, decided once with the threshold in force. A stored answer
 * wins (even while a re-check is queued); null means the hash was never submitted for a check.
 */
export function vtStateOf(row: VtRowFields, threshold: number): HashVtState | null {
  if (row.sha256 === null && !row.unresolvedMd5)
    return { state: 'not-hashed', reason: row.exeStatus ?? 'no executable' };
  if (row.vtFound !== null) {
    const vtScore = row.vtFound ? row.vtScore : null;
    return {
      state: 'checked',
      vtScore,
      verdict: verdictFor(vtScore, threshold),
      totalEngines: row.vtFound ? row.vtTotalEngines : null,
      threatLabel: row.vtFound ? row.vtThreatLabel : null,
    };
  }
  if (row.vtJobStatus === 'failed') return { state: 'failed', reason: row.vtJobError };
  if (row.vtJobStatus === 'queued') return { state: 'pending', reason: row.vtJobError };
  return null;
}
