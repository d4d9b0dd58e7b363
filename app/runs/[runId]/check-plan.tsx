'use client';

import { useQuery } from '@tanstack/react-query';
import { planSentence, planWarning } from '@/app/_components/check-plan-text';
import { formatCount, formatDuration as formatSpan } from '@/app/_components/format';
import { Note } from '@/app/_components/ui/note';
import { useTRPC } from '@/app/_trpc/client';

/** The quota planner above the Check button: what the check will cost, and a warning past the daily limit. */
export function CheckPlanNote({ runId, recheck }: { runId: number; recheck: boolean }) {
  const trpc = useTRPC();
  // Shown again when a check ends: asked afresh then, not read from the cache of before the check.
  const plan = useQuery(
    trpc.vt.plan.queryOptions({ runId }, { refetchInterval: 10_000, staleTime: 0, refetchOnMount: 'always' }),
  );
  if (!plan.data) return null;
  const warning = planWarning(plan.data);
  return (
    <div className="space-y-1 text-sm" aria-label="Check plan">
      <p className="tabular-nums">{planSentence(plan.data)}.</p>
      {recheck && (
        <p className="text-xs text-muted tabular-nums">
          Re-check: {formatCount(plan.data.recheck.toLookUp)} to look up ≈ {formatSpan(plan.data.recheck.etaMs)}
          {plan.data.recheck.crossesDailyLimit ? ', crossing the daily limit' : ''}.
        </p>
      )}
      {warning && (
        <Note tone="warn" role="alert" className="font-medium">
          {warning}
        </Note>
      )}
    </div>
  );
}
