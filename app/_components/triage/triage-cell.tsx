'use client';

import { Pencil } from 'lucide-react';
import type { RowVt } from '@/app/_trpc/types';
import { Missing } from '../tables/untrusted-text';
import { TriageBadge, triageSummary } from './triage-badge';
import { triageButtonId, useTriage } from './triage-context';

/**
 * A row's decision, and the button that opens the triage dialog: "Triage" when there is none
 * (analysts), the decision itself when there is one (everyone: it shows who, when and the note).
 */
export function TriageCell({ row }: { row: { sha256: string; names: readonly string[]; vt: RowVt } }) {
  const { byHash, canEdit, open } = useTriage();
  const current = byHash.get(row.sha256);
  if (!current && !canEdit) return <Missing />;
  const openIt = () => open({ sha256: row.sha256, names: row.names, vt: row.vt });
  return (
    <button
      type="button"
      id={triageButtonId(row.sha256)}
      onClick={openIt}
      title={current ? triageSummary(current) : 'Mark confirmed malicious, false positive or benign'}
      aria-haspopup="dialog"
      className="group/triage inline-flex max-w-full items-center gap-1 rounded text-xs font-medium text-accent hover:underline"
    >
      {current ? (
        <>
          <TriageBadge triage={current} withTitle={false} />
          {canEdit && <Pencil className="size-3 text-muted opacity-0 group-hover/triage:opacity-100" aria-hidden />}
        </>
      ) : (
        'Triage'
      )}
    </button>
  );
}
