import { VERDICT_LABELS, vtGuiLink, type HashVtState } from '@/domain/verdict';
import type { ExportProcess } from './types';

/** The Verdict-column text for a process that was never hashed (VERDICT_LABELS covers the rest). */
export const NOT_HASHED_LABEL = VERDICT_LABELS['not-hashed'];

/**
 * A process's VirusTotal status for documents that must account for every process. An absent `vt`
 * means nobody has asked yet: "pending" when there is a hash to ask about, "not hashed" when not.
 */
export function vtStatusOf(p: ExportProcess): HashVtState {
  if (p.vt) return p.vt;
  if (p.sha256 === null && p.md5 === null) return { state: 'not-hashed', reason: p.exeStatus };
  return { state: 'pending', reason: null };
}

/** Human label: "Malicious", "Needs research", …, "Pending", "Failed", "Not hashed". */
export function vtLabel(vt: HashVtState): string {
  switch (vt.state) {
    case 'checked':
      return VERDICT_LABELS[vt.verdict];
    case 'pending':
    case 'failed':
      return VERDICT_LABELS[vt.state];
    case 'not-hashed':
      return NOT_HASHED_LABEL;
  }
}

/** VTScore, or null when there is none to show (not checked, or not found: the verdict says so). */
export function vtScoreOf(vt: HashVtState | null | undefined): number | null {
  return vt?.state === 'checked' ? vt.vtScore : null;
}

/** Engines that analysed the file, when VirusTotal has a report. */
export function vtEnginesOf(vt: HashVtState | null | undefined): number | null {
  return vt?.state === 'checked' && vt.vtScore !== null ? vt.totalEngines : null;
}

export function vtThreatLabelOf(vt: HashVtState | null | undefined): string | null {
  return vt?.state === 'checked' && vt.vtScore !== null ? vt.threatLabel : null;
}

/** "7/72" (malicious / engines), or null when either number is unknown. */
export function vtDetections(vt: HashVtState | null | undefined): string | null {
  const score = vtScoreOf(vt);
  const engines = vtEnginesOf(vt);
  return score === null || engines === null ? null : `${score}/${engines}`;
}

/** The VirusTotal page, only for a hash VirusTotal has a report on (otherwise it says "not found"). */
export function vtLinkOf(sha256: string | null, vt: HashVtState | null | undefined): string | null {
  return sha256 !== null && vtScoreOf(vt) !== null ? vtGuiLink(sha256) : null;
}
