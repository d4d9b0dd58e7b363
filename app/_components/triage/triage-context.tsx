'use client';

import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTRPC } from '@/app/_trpc/client';
import type { RowVt } from '@/app/_trpc/types';
import type { TriageView } from './triage-badge';

/** The dialog's code loads when someone first opens it, not with every run page. */
const TriageDialog = dynamic(() => import('./triage-dialog').then((m) => m.TriageDialog), { ssr: false });

export type TriageEntry = TriageView & { sha256: string; logId: number };

/** What the dialog shows about the executable besides its decision. */
export interface TriageTarget {
  sha256: string;
  names: readonly string[];
  vt: RowVt;
}

interface TriageState {
  byHash: ReadonlyMap<string, TriageEntry>;
  canEdit: boolean;
  /** False until the decisions have loaded (the filter then shows every row). */
  loaded: boolean;
  open: (target: TriageTarget) => void;
}

const EMPTY = new Map<string, TriageEntry>();
const TriageContext = createContext<TriageState>({ byHash: EMPTY, canEdit: false, loaded: false, open: () => {} });

export const useTriage = () => useContext(TriageContext);

export const triageButtonId = (sha256: string) => `triage-${sha256}`;

/**
 * The run's triage decisions (one small query beside the row queries, so saving a decision
 * refetches only this) and the one dialog that edits them. Column cells read it through context.
 */
export function TriageProvider({ runId, children }: { runId: number; children: ReactNode }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.triage.forRun.queryOptions({ runId }, { staleTime: 30_000 }));
  const [target, setTarget] = useState<TriageTarget | null>(null);
  const byHash = useMemo(() => new Map((q.data?.decisions ?? []).map((d) => [d.sha256, d])), [q.data]);
  const open = useCallback((t: TriageTarget) => setTarget(t), []);
  const close = useCallback(() => {
    const sha = target?.sha256;
    setTarget(null);
    // Back to the cell's button when it is still rendered (the table is virtualized).
    if (sha) requestAnimationFrame(() => document.getElementById(triageButtonId(sha))?.focus());
  }, [target]);
  const canEdit = q.data?.canEdit ?? false;
  const value = useMemo(() => ({ byHash, canEdit, loaded: q.isSuccess, open }), [byHash, canEdit, q.isSuccess, open]);
  return (
    <TriageContext.Provider value={value}>
      {children}
      {target && (
        <TriageDialog
          runId={runId}
          target={target}
          current={byHash.get(target.sha256) ?? null}
          canEdit={canEdit}
          onClose={close}
        />
      )}
    </TriageContext.Provider>
  );
}
