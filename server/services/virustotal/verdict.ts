/**
 * The one verdict rule. Everything that shows or exports a verdict imports it from here.
 * - VTScore >= threshold → malicious
 * - 1 <= VTScore < threshold → needs research (any positive deserves a look)
 * - VTScore 0 → not malicious
 * - no report → not found
 */
export type Verdict = 'malicious' | 'needs-research' | 'not-malicious' | 'not-found';

/** A hash whose lookup has not produced a verdict (yet). */
export type PendingState = 'pending' | 'failed';

export const DEFAULT_MALICIOUS_THRESHOLD = 2;

export function verdictFor(vtScore: number | null, threshold: number): Verdict {
  if (vtScore === null) return 'not-found';
  if (vtScore >= threshold) return 'malicious';
  if (vtScore >= 1) return 'needs-research';
  return 'not-malicious';
}

export const VERDICT_LABELS: Record<Verdict | PendingState | 'not-hashed', string> = {
  malicious: 'Malicious',
  'needs-research': 'Needs research',
  'not-malicious': 'Not malicious',
  'not-found': 'Not found',
  pending: 'Pending',
  failed: 'Failed',
  'not-hashed': 'Not hashed',
};

/**
 * The seed's `vt_results.txt` has three outcomes; "needs research" is below the threshold and so,
 * in that file, not malicious.
 */
export function txtOutcome(v: Verdict): 'malicious' | 'Not malicious' | 'The secure score is not found' {
  if (v === 'malicious') return 'malicious';
  if (v === 'not-found') return 'The secure score is not found';
  return 'Not malicious';
}

/** The VirusTotal page for a hash (the GUI, not the API). */
export function vtGuiLink(sha256: string): string {
  return `https://www.virustotal.com/gui/file/${sha256}`;
}
