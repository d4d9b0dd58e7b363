import type { HashVtChecked, HashVtUnresolved } from '@/domain/verdict';
import type { ExportProcess, RunExport } from './types';

/** One distinct executable (by SHA-256) in a run, with every process that ran it. */
export interface HashGroup {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  /** An absent or inconsistent `vt` on a hashed process counts as pending. */
  vt: HashVtChecked | HashVtUnresolved;
  /** In the run's order. */
  processes: ExportProcess[];
}

const NOT_ASKED: HashVtUnresolved = { state: 'pending', reason: null };

/** Which answer wins when processes of one hash disagree (they should not: VT answers per hash). */
function rank(vt: HashGroup['vt']): number {
  if (vt.state === 'checked') return 0;
  return vt.state === 'failed' ? 1 : 2;
}

function hashVt(p: ExportProcess): HashGroup['vt'] {
  const vt = p.vt;
  if (vt && vt.state !== 'not-hashed') return vt;
  return NOT_ASKED;
}

/**
 * Sort key: scored hashes first by VTScore descending, then not found, failed, pending. Ties keep
 * first appearance in the run (memory % descending), so the order is a pure function of the input.
 */
function sortKey(vt: HashGroup['vt']): [number, number] {
  if (vt.state === 'checked') return vt.vtScore === null ? [1, 0] : [0, -vt.vtScore];
  return [vt.state === 'failed' ? 2 : 3, 0];
}

/**
 * Whether any hash of the run has been put to VirusTotal (decides whether the "Hashes" sheet is
 * written). "Not hashed" alone does not count: it says nothing VirusTotal told us.
 */
export function hasVtData(data: RunExport): boolean {
  return data.processes.some((p) => p.vt != null && p.vt.state !== 'not-hashed');
}

/** Distinct hashes of the run, most detected first. Processes with no SHA-256 are not listed. */
export function hashGroups(processes: readonly ExportProcess[]): HashGroup[] {
  const bySha = new Map<string, HashGroup>();
  for (const p of processes) {
    if (p.sha256 === null) continue;
    const vt = hashVt(p);
    const group = bySha.get(p.sha256);
    if (!group) {
      bySha.set(p.sha256, { sha256: p.sha256, md5: p.md5, sha1: p.sha1, vt, processes: [p] });
      continue;
    }
    group.processes.push(p);
    group.md5 ??= p.md5;
    group.sha1 ??= p.sha1;
    if (rank(vt) < rank(group.vt)) group.vt = vt;
  }
  // Array.prototype.sort is stable, so equal keys keep first-appearance order.
  return [...bySha.values()].sort((a, b) => {
    const [ga, sa] = sortKey(a.vt);
    const [gb, sb] = sortKey(b.vt);
    return ga - gb || sa - sb;
  });
}
