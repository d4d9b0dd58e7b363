'use client';

import { ListFilter } from 'lucide-react';
import { useMemo } from 'react';
import { needsTriage, UNTRIAGED_FILTER_LABEL } from '@/domain/triage';
import type { RowVt } from '@/app/_trpc/types';
import { setUrlValue, useUrlValue } from '../url/url-state';
import { Button } from '../ui/button';
import { vtScoreOf } from '../vt-format';
import { untriagedParam } from './triage-param';
import { useTriage } from './triage-context';

/** Rows narrowed by the URL's triage filter, with the count the toggle shows. */
export function useUntriagedFilter<T extends { sha256: string | null; vt: RowVt }>(rows: ReadonlyArray<T>) {
  const on = useUrlValue(untriagedParam);
  const { byHash } = useTriage();
  return useMemo(() => {
    const matches = (r: T) => r.sha256 !== null && needsTriage(vtScoreOf(r.vt), byHash.get(r.sha256)?.decision);
    const count = new Set(rows.filter(matches).map((r) => r.sha256)).size;
    return { on, count, rows: on ? rows.filter(matches) : rows };
  }, [rows, on, byHash]);
}

/** The toggle for the filter "Untriaged with VTScore ≥ 1" (a pressed button; the URL holds it). */
export function UntriagedToggle({ on, count }: { on: boolean; count: number }) {
  return (
    <Button
      size="sm"
      variant={on ? 'primary' : 'secondary'}
      aria-pressed={on}
      title={`${count} ${count === 1 ? 'executable' : 'executables'} flagged by VirusTotal that nobody has triaged yet`}
      onClick={() => setUrlValue(untriagedParam, !on)}
    >
      <ListFilter aria-hidden />
      {UNTRIAGED_FILTER_LABEL}
      <span className="tabular-nums opacity-80">({count})</span>
    </Button>
  );
}
