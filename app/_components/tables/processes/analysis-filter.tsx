'use client';

import { ShieldAlert } from 'lucide-react';
import { useId, useMemo } from 'react';
import { describeHeuristic, HEURISTIC_CODES } from '@/domain/heuristics';
import type { ProcessRow } from '@/app/_trpc/types';
import { updateUrlParams, useUrlParam } from '../url-state';

/**
 * The `flag` URL parameter narrows the process table to rows with a given badge:
 * `any` (any heuristic, or a modified package file), `modified`, `not-packaged`, or a heuristic code.
 */
export const FLAG_PARAM = 'flag';

const GENERIC = { name: '', exe: null, user: '', effectiveUser: null };
const OPTIONS: Array<[string, string]> = [
  ['', 'All processes'],
  ['any', 'Any badge (heuristic or modified)'],
  ['modified', 'Integrity: modified'],
  ['not-packaged', 'Integrity: not packaged'],
  ...HEURISTIC_CODES.map((c): [string, string] => [
    c,
    `Heuristic: ${c === 'temp-dir' ? 'runs from /tmp, /dev/shm, /var/tmp' : describeHeuristic(c, GENERIC).label}`,
  ]),
];

export function matchesFlag(r: Pick<ProcessRow, 'heuristics' | 'integrity'>, flag: string): boolean {
  if (flag === '') return true;
  if (flag === 'any') return r.heuristics.length > 0 || r.integrity === 'modified';
  if (flag === 'modified' || flag === 'not-packaged') return r.integrity === flag;
  return (r.heuristics as readonly string[]).includes(flag);
}

/** Rows narrowed by the URL's `flag`, the control that sets it, and a loud note for modified binaries. */
export function useFlagFilter(rows: ReadonlyArray<ProcessRow>) {
  const raw = useUrlParam(FLAG_PARAM) ?? '';
  const flag = OPTIONS.some(([v]) => v === raw) ? raw : '';
  const filtered = useMemo(() => (flag === '' ? rows : rows.filter((r) => matchesFlag(r, flag))), [rows, flag]);
  const counts = useMemo(() => {
    let modified = 0;
    let flagged = 0;
    const modifiedExes = new Set<string>();
    for (const r of rows) {
      if (r.integrity === 'modified') {
        modified += 1;
        modifiedExes.add(r.exePath ?? '');
      }
      if (matchesFlag(r, 'any')) flagged += 1;
    }
    return { modified, modifiedExes: modifiedExes.size, flagged };
  }, [rows]);
  return { flag, filtered, counts, setFlag: (v: string) => updateUrlParams({ [FLAG_PARAM]: v || null }) };
}

export function FlagFilterBar({
  flag,
  setFlag,
  counts,
}: {
  flag: string;
  setFlag: (v: string) => void;
  counts: { modified: number; modifiedExes: number; flagged: number };
}) {
  const id = useId();
  return (
    <div className="space-y-2">
      {counts.modified > 0 && (
        <div
          role="alert"
          className="flex items-center gap-2 rounded-md border border-danger/40 bg-danger-bg px-3 py-2 text-sm text-danger"
        >
          <ShieldAlert className="size-4 shrink-0" aria-hidden />
          <span>
            <strong>
              {counts.modifiedExes} packaged {counts.modifiedExes === 1 ? 'executable differs' : 'executables differ'}{' '}
              from the checksum {counts.modifiedExes === 1 ? 'its package' : 'their packages'} shipped
            </strong>{' '}
            ({counts.modified} {counts.modified === 1 ? 'process' : 'processes'}).{' '}
            <button type="button" className="font-medium underline" onClick={() => setFlag('modified')}>
              Show them
            </button>
          </span>
        </div>
      )}
      <div className="flex items-center gap-2 text-sm">
        <label htmlFor={id} className="text-muted">
          Show
        </label>
        <select
          id={id}
          value={flag}
          onChange={(e) => setFlag(e.target.value)}
          className="h-7 rounded-md border border-border bg-surface px-2 text-[13px] focus:border-accent focus:outline-none"
        >
          {OPTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <span className="text-xs text-muted tabular-nums">{counts.flagged} with a badge</span>
      </div>
    </div>
  );
}
