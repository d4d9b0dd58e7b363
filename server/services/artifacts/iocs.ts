import { vtGuiLink } from '@/domain/verdict';
import { hashGroups } from './hash-groups';
import { neutraliseCell, type CellValue } from './neutralise';
import type { RunExport } from './types';

/**
 * IOC lists: the hashes VirusTotal calls malicious (VTScore at or above the threshold in force), for
 * one run or for every run of every host. Text is one SHA-256 per line, ready for `grep -f` or an
 * EDR's block list; the CSV carries every hash type and the facts an analyst filters by.
 */
export interface IocEntry {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  vtScore: number;
  totalEngines: number | null;
  threatLabel: string | null;
  /** Why the hash is on the list. */
  reason: 'virustotal-malicious';
  /** Distinct process names that ran it (untrusted text). */
  names: string[];
  /** Hosts that ran it (1 for a per-run list). */
  hosts: number;
}

/** Malicious hashes of one run, most detected first. */
export function iocsFromRun(data: RunExport): IocEntry[] {
  const out: IocEntry[] = [];
  for (const g of hashGroups(data.processes)) {
    if (g.vt.state !== 'checked' || g.vt.verdict !== 'malicious' || g.vt.vtScore === null) continue;
    out.push({
      sha256: g.sha256,
      md5: g.md5,
      sha1: g.sha1,
      vtScore: g.vt.vtScore,
      totalEngines: g.vt.totalEngines,
      threatLabel: g.vt.threatLabel,
      reason: 'virustotal-malicious',
      names: [...new Set(g.processes.map((p) => p.name))],
      hosts: 1,
    });
  }
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
      e.totalEngines === null ? null : `${e.vtScore}/${e.totalEngines}`,
      e.threatLabel,
      e.reason,
      e.hosts,
      e.names.join(', '),
      vtGuiLink(e.sha256),
    ]),
  ];
  return rows.map((r) => r.map(field).join(',') + '\r\n').join('');
}

export function iocFileName(scope: { runId: number } | 'fleet', ext: 'txt' | 'csv'): string {
  return scope === 'fleet' ? `iocs_all-hosts.${ext}` : `iocs_run-${scope.runId}.${ext}`;
}
