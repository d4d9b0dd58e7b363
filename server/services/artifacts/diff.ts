import { ANY_PROCESS, describeHeuristic, INTEGRITY_LABELS } from '@/domain/heuristics';
import { DIFF_KIND_LABELS, type DiffKind } from '@/domain/run-diff';
import type { RunDiffEntry, RunDiffView } from '../diff';
import { csvField } from './csv';
import type { CellValue } from './neutralise';
import { sanitiseTxtName } from './vt-results';
import { vtLabel, vtScoreOf } from './vt-status';

/**
 * The run diff as files: a CSV with one row per difference (RFC 4180, CRLF, UTF-8 without BOM;
 * untrusted text neutralised as in the run CSV) and a short text summary for a ticket or a mail.
 */
export const DIFF_CSV_HEADER = [
  'Change',
  'Path',
  'SHA-256',
  'Previous SHA-256',
  'VTScore',
  'Verdict',
  'Previous VTScore',
  'Previous verdict',
  'Processes',
  'Process names',
  'PIDs',
  'Users',
  'Package',
  'Integrity',
  'Heuristics',
  'Deleted while running',
  'Same content at',
  'Run',
  'Compared with run',
] as const;

const verdictText = (vt: RunDiffEntry['newVt'], sha: string | null) =>
  sha === null ? null : vt ? vtLabel(vt) : 'Not checked';

function usersOf(e: RunDiffEntry): string[] {
  const out = new Set<string>();
  for (const p of e.processes) {
    out.add(p.effectiveUser && p.effectiveUser !== p.user ? `${p.user} (effective ${p.effectiveUser})` : p.user);
  }
  return [...out];
}

function heuristicLabels(e: RunDiffEntry): string[] {
  const subject = { ...ANY_PROCESS, ...e.processes[0], exe: e.path };
  return e.heuristics.map((c) => describeHeuristic(c, subject).label);
}

export function buildDiffCsv(view: RunDiffView): string {
  const rows: CellValue[][] = [
    [...DIFF_CSV_HEADER],
    ...view.entries.map((e) => [
      DIFF_KIND_LABELS[e.kind],
      e.path,
      e.newSha256,
      e.oldSha256,
      vtScoreOf(e.newVt),
      verdictText(e.newVt, e.newSha256),
      vtScoreOf(e.oldVt),
      verdictText(e.oldVt, e.oldSha256),
      e.processes.length,
      [...new Set(e.processes.map((p) => p.name))].join(', '),
      e.processes.map((p) => p.pid).join(' '),
      usersOf(e).join(', '),
      e.package,
      e.integrity ? INTEGRITY_LABELS[e.integrity] : null,
      heuristicLabels(e).join('; ') || null,
      e.deletedWhileRunning ? 'yes' : null,
      e.sameContentAt.join(' ') || null,
      view.run.id,
      view.other?.id ?? null,
    ]),
  ];
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

export function diffFileName(view: Pick<RunDiffView, 'run' | 'other'>, ext: 'csv' | 'txt'): string {
  return `proclens-run-${view.run.id}-diff${view.other ? `-vs-run-${view.other.id}` : ''}.${ext}`;
}

const SECTION: Record<DiffKind, string> = {
  new: 'New executables (path not in the other run)',
  gone: 'Gone (path only in the other run)',
  changed: 'Changed hash at the same path',
};

const short = (sha: string | null) => (sha ? sha.slice(0, 16) : 'not hashed');
const vtText = (vt: RunDiffEntry['newVt'], sha: string | null) => {
  if (sha === null) return '';
  const score = vtScoreOf(vt);
  return ` [${score === null ? '' : `VTScore ${score}, `}${verdictText(vt, sha)}]`;
};

function entryLine(e: RunDiffEntry): string {
  const hashes =
    e.kind === 'changed'
      ? `${short(e.oldSha256)}${vtText(e.oldVt, e.oldSha256)} -> ${short(e.newSha256)}${vtText(e.newVt, e.newSha256)}`
      : e.kind === 'new'
        ? `${short(e.newSha256)}${vtText(e.newVt, e.newSha256)}`
        : `${short(e.oldSha256)}${vtText(e.oldVt, e.oldSha256)}`;
  const procs = e.processes
    .slice(0, 5)
    .map((p) => `${sanitiseTxtName(p.name)} (pid ${p.pid}, ${sanitiseTxtName(p.user)})`)
    .join(', ');
  const more = e.processes.length > 5 ? ` and ${e.processes.length - 5} more` : '';
  const flags = [
    ...heuristicLabels(e),
    ...(e.integrity === 'modified' ? ['package integrity: modified'] : []),
    ...(e.deletedWhileRunning ? ['deleted while running'] : []),
    ...(e.sameContentAt.length ? [`same content at ${e.sameContentAt.map(sanitiseTxtName).join(', ')}`] : []),
  ];
  return (
    `  ${sanitiseTxtName(e.path)}  ${hashes}\n` +
    `      ${procs}${more}${flags.length ? `  {${flags.map(sanitiseTxtName).join('; ')}}` : ''}\n`
  );
}

/** A plain-text summary (UTF-8, LF): the two runs, the counts, then each difference. Untrusted text is escaped. */
export function buildDiffTxt(view: RunDiffView): string {
  const head = [
    `ProcLens run diff`,
    `Run ${view.run.id} on ${sanitiseTxtName(view.run.hostname)}, started ${view.run.startedAt.toISOString()}`,
  ];
  if (!view.other || view.empty) {
    head.push(
      view.empty === 'no-baseline'
        ? 'This host has no pinned baseline.'
        : view.empty === 'is-baseline'
          ? "This run is the host's pinned baseline."
          : 'No earlier completed run of this host to compare with.',
    );
    return `${head.join('\n')}\n`;
  }
  const o = view.other;
  head.push(
    `Compared with run ${o.id} on ${sanitiseTxtName(o.hostname)}, started ${o.startedAt.toISOString()}` +
      (view.against === 'previous'
        ? ' (previous run of this host)'
        : view.against === 'baseline'
          ? ' (pinned baseline)'
          : '') +
      (view.sameHost ? '' : ' - ANOTHER HOST, chosen explicitly'),
    `New: ${view.counts.new}  Gone: ${view.counts.gone}  Changed: ${view.counts.changed}  Unchanged: ${view.counts.unchanged}`,
  );
  if (view.entries.length === 0)
    head.push('', 'Identical: the same executables at the same paths with the same hashes.');
  let out = `${head.join('\n')}\n`;
  for (const kind of ['new', 'changed', 'gone'] as const) {
    const list = view.entries.filter((e) => e.kind === kind);
    if (list.length === 0) continue;
    out += `\n${SECTION[kind]} (${list.length}):\n${list.map(entryLine).join('')}`;
  }
  return out;
}
