'use client';

import { ShieldAlert } from 'lucide-react';
import { useId, useMemo } from 'react';
import type { ProcessRow } from '@/app/_trpc/types';
import { setUrlValue, useUrlValue } from '../../url/url-state';
import { FLAG_OPTIONS, flagCounts, flagParam, matchesFlag, type FlagCounts } from './flag-filter';

/** Rows narrowed by the URL's `flag`, the control that sets it, and a loud note for modified binaries. */
export function useFlagFilter(rows: ReadonlyArray<ProcessRow>, knownCounts?: FlagCounts) {
  const flag = useUrlValue(flagParam);
  const filtered = useMemo(() => (flag === '' ? rows : rows.filter((r) => matchesFlag(r, flag))), [rows, flag]);
  // Only the first screen of a large run is here at first: the server counted the whole run.
  const counts = useMemo(() => knownCounts ?? flagCounts(rows), [rows, knownCounts]);
  return { flag, filtered, counts, setFlag: (v: string) => setUrlValue(flagParam, v) };
}

export function FlagFilterBar({
  flag,
  setFlag,
  counts,
}: {
  flag: string;
  setFlag: (v: string) => void;
  counts: FlagCounts;
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
          {FLAG_OPTIONS.map(([value, label]) => (
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
