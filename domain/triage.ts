import { hasNul, TEXT_MAX } from './limits';

/**
 * Triage: an analyst's decision about one executable, keyed by its SHA-256. It follows the hash into
 * every run and every host, and it never changes what VirusTotal said: VTScore, verdict and the
 * vt_results.txt lines stay VirusTotal's; the decision is shown beside them.
 */
export const TRIAGE_DECISIONS = ['malicious', 'false-positive', 'benign'] as const;
export type TriageDecision = (typeof TRIAGE_DECISIONS)[number];

export const TRIAGE_LABELS: Record<TriageDecision, string> = {
  malicious: 'Confirmed malicious',
  'false-positive': 'False positive',
  benign: 'Benign',
};

/** A note is kept as typed (no trimming); this bounds it (the budget of domain/limits.ts). */
export const TRIAGE_NOTE_MAX = TEXT_MAX.triageNote;

export function isTriageDecision(v: unknown): v is TriageDecision {
  return typeof v === 'string' && (TRIAGE_DECISIONS as readonly string[]).includes(v);
}

/** Why a note cannot be stored, as a sentence; null when it can. */
export function triageNoteProblem(note: string): string | null {
  if (note.length > TRIAGE_NOTE_MAX)
    return `The note is ${note.length} characters long; at most ${TRIAGE_NOTE_MAX} are kept.`;
  // PostgreSQL text cannot hold NUL; other control characters are kept and shown escaped.
  if (hasNul(note)) return 'The note contains a NUL character, which cannot be stored.';
  return null;
}

/**
 * The IOC list rule, defined once: a hash confirmed malicious is listed whatever VirusTotal says
 * (even below the threshold or unknown to it); one triaged false positive or benign is left out
 * even when VirusTotal calls it malicious; an untriaged hash is listed when VirusTotal calls it
 * malicious.
 */
export function onIocList(vtMalicious: boolean, decision: TriageDecision | null): boolean {
  if (decision === 'malicious') return true;
  if (decision === 'false-positive' || decision === 'benign') return false;
  return vtMalicious;
}

/** Why a hash is on an IOC list (the CSV's Reason column). */
export type IocReason = 'virustotal-malicious' | 'confirmed-malicious';

/** The filter "untriaged with VTScore ≥ 1": some engine flags it and nobody has decided yet. */
export function needsTriage(vtScore: number | null | undefined, decision: TriageDecision | null | undefined): boolean {
  return decision == null && typeof vtScore === 'number' && vtScore >= 1;
}

/** The URL value that turns the filter on (`triage=untriaged` on the run and Prevalence pages). */
export const UNTRIAGED_FILTER = 'untriaged';
export const UNTRIAGED_FILTER_LABEL = 'Untriaged with VTScore ≥ 1';
