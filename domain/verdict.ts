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

/** One engine's answer in a VirusTotal report (stored with the verdict, shown in the hash view). */
export interface VtEngineResult {
  engine: string;
  category: string;
  result: string | null;
  engineVersion: string | null;
  engineUpdate: string | null;
  method: string | null;
}

/**
 * Where one hash stands with VirusTotal, decided once (by the loader, with the threshold in force)
 * and then only shown: by the tables, the run page and every export. The GUI link is not carried:
 * it is `vtGuiLink(sha256)`, derived where it is shown.
 */
export interface HashVtChecked {
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
export interface HashVtUnresolved {
  state: PendingState;
  reason: string | null;
}

/** Nothing to look up (kernel thread, permission denied, too large…); `reason`: usually the exe status. */
export interface HashVtNotHashed {
  state: 'not-hashed';
  reason: string;
}

export type HashVtState = HashVtChecked | HashVtUnresolved | HashVtNotHashed;
