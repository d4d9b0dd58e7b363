import { ANY_PROCESS, describeHeuristic, HEURISTIC_CODES } from '@/domain/heuristics';
import type { ProcessRow } from '@/app/_trpc/types';
import type { UrlParam } from '../../url/url-params';

/**
 * The `flag` URL parameter narrows the process table to rows with a given badge:
 * `any` (any heuristic, or a modified package file), `modified`, `not-packaged`, or a heuristic code.
 * Pure (no React), so the server computes a run page's first screen with the same rule.
 */

export const FLAG_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['', 'All processes'],
  ['any', 'Any badge (heuristic or modified)'],
  ['modified', 'Integrity: modified'],
  ['not-packaged', 'Integrity: not packaged'],
  ...HEURISTIC_CODES.map(
    (c) =>
      [
        c,
        `Heuristic: ${c === 'temp-dir' ? 'runs from /tmp, /dev/shm, /var/tmp' : describeHeuristic(c, ANY_PROCESS).label}`,
      ] as const,
  ),
];

/** The URL's raw value as a known flag, or '' (all processes) for anything else. */
export function parseFlag(raw: string | null): string {
  const v = raw ?? '';
  return FLAG_OPTIONS.some(([o]) => o === v) ? v : '';
}

export const flagParam: UrlParam<string> = { key: 'flag', parse: parseFlag, format: (v) => v || null };

export function matchesFlag(r: Pick<ProcessRow, 'heuristics' | 'integrity'>, flag: string): boolean {
  if (flag === '') return true;
  if (flag === 'any') return r.heuristics.length > 0 || r.integrity === 'modified';
  if (flag === 'modified' || flag === 'not-packaged') return r.integrity === flag;
  return (r.heuristics as readonly string[]).includes(flag);
}

export interface FlagCounts {
  /** Processes whose packaged executable differs from its package's checksum. */
  modified: number;
  /** Distinct executables among them. */
  modifiedExes: number;
  /** Processes with any badge. */
  flagged: number;
}

export function flagCounts(rows: ReadonlyArray<Pick<ProcessRow, 'heuristics' | 'integrity' | 'exePath'>>): FlagCounts {
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
}
