import { onIocList, TRIAGE_LABELS, type IocReason, type TriageDecision } from '@/domain/triage';
import { vtGuiLink } from '@/domain/verdict';
import { hashGroups } from './hash-groups';
import { neutraliseCell, type CellValue } from './neutralise';
import type { RunExport } from './types';

/**
 * IOC lists: the hashes VirusTotal calls malicious (VTScore at or above the threshold in force), for
 * one run or for every run of every host, corrected by triage (`onIocList`): a hash an analyst
 * confirmed malicious is listed whatever its VTScore, one triaged false positive or benign is not.
 * Text is one SHA-256 per line, ready for `grep -f` or an EDR's block list; the CSV carries every
 * hash type and the facts an analyst filters by.
 */
export interface IocEntry {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  /** null: VirusTotal has no score for it (a confirmed-malicious hash it does not know, or not yet asked). */
  vtScore: number | null;
  totalEngines: number | null;
  threatLabel: string | null;
  /** Why the hash is on the list. */
  reason: IocReason;
  /** The analyst's decision, when there is one. */
  triage: TriageDecision | null;
  /** Distinct process names that ran it (untrusted text). */
  names: string[];
  /** Hosts that ran it (1 for a per-run list). */
  hosts: number;
}

/** The hashes of one run on the IOC list, most detected first. */
export function iocsFromRun(data: RunExport): IocEntry[] {
  const out: IocEntry[] = [];
  for (const g of hashGroups(data.processes)) {
    const triage = data.triage?.[g.sha256] ?? null;
    const checked = g.vt.state === 'checked' ? g.vt : null;
    const vtMalicious = checked?.verdict === 'malicious' && checked.vtScore !== null;
    if (!onIocList(vtMalicious, triage)) continue;
    out.push({
      sha256: g.sha256,
      md5: g.md5,
      sha1: g.sha1,
      vtScore: checked?.vtScore ?? null,
      totalEngines: checked?.totalEngines ?? null,
      threatLabel: checked?.threatLabel ?? null,
      reason: triage === 'malicious' ? 'confirmed-malicious' : 'virustotal-malicious',
      triage,
      names: [...new Set(g.processes.map((p) => p.name))],
      hosts: 1,
    });
  }
  // hashGroups orders by VTScore descending, hashes without a score after them.
  return out;
}

/** One lowercase SHA-256 per line, LF-terminated; empty when there is none. */
export function buildIocTxt(entries: readonly IocEntry[]): string {
  return entries.map((e) => `${e.sha256}\n`).join('');
}

export const IOC_CSV_HEADER = [
  'SHA-256',
  'MD5',
  'SHA-1',
  'VTScore',
  'Detections',
  'Threat label',
  'Reason',
  'Hosts',
  'Names',
  'VT link',
  // Last, so scripts reading the earlier columns by position keep working.
  'Triage',
] as const;

const NEEDS_QUOTES = /[",\r\n;\t]/;

function field(raw: CellValue): string {
  const value = neutraliseCell(raw);
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF, UTF-8 without BOM); untrusted text is neutralised as in the run CSV. */
export function buildIocCsv(entries: readonly IocEntry[]): string {
  const rows: CellValue[][] = [
    [...IOC_CSV_HEADER],
    ...entries.map((e) => [
      e.sha256,
      e.md5,
      e.sha1,
      e.vtScore,
      e.totalEngines === null || e.vtScore === null ? null : `${e.vtScore}/${e.totalEngines}`,
      e.threatLabel,
      e.reason,
      e.hosts,
      e.names.join(', '),
      vtGuiLink(e.sha256),
      e.triage === null ? null : TRIAGE_LABELS[e.triage],
    ]),
  ];
  return rows.map((r) => r.map(field).join(',') + '\r\n').join('');
}

export function iocFileName(scope: { runId: number } | 'fleet', ext: 'txt' | 'csv'): string {
  return scope === 'fleet' ? `iocs_all-hosts.${ext}` : `iocs_run-${scope.runId}.${ext}`;
}
