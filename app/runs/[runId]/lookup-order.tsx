'use client';

import { useQuery } from '@tanstack/react-query';
import { lookupReason } from '@/app/_components/check-plan-text';
import { HashCell } from '@/app/_components/tables/hash-cell';
import { UntrustedText } from '@/app/_components/tables/untrusted-text';
import { Badge } from '@/app/_components/ui/badge';
import { formatCount } from '@/app/_components/format';
import { useTRPC } from '@/app/_trpc/client';
import { ANY_PROCESS, describeHeuristic } from '@/domain/heuristics';

const GENERIC = { ...ANY_PROCESS, exe: '/tmp/' };
const badgeLabel = (code: string) => describeHeuristic(code, GENERIC).label.replace('/tmp', 'a temp folder');

/** The run's waiting lookups in the queue's order, each with why it is there (shown during a check). */
export function LookupOrder({ runId, live }: { runId: number; live: boolean }) {
  const trpc = useTRPC();
  const order = useQuery(trpc.vt.lookupOrder.queryOptions({ runId }, { refetchInterval: live ? 3000 : false }));
  if (!order.data || order.data.total === 0) return null;
  return (
    <details className="text-sm" open={order.data.total <= 10}>
      <summary className="cursor-pointer font-medium">
        Lookup order ({formatCount(order.data.total)} waiting): most likely to matter first
      </summary>
      <ol aria-label="Lookup order" className="mt-2 space-y-1">
        {order.data.rows.map((r, i) => {
          const reason = lookupReason(r, badgeLabel);
          return (
            <li key={r.sha256} className="flex min-w-0 items-center gap-2">
              <span className="w-6 shrink-0 text-right text-xs text-muted tabular-nums">{i + 1}.</span>
              <Badge
                tone={r.tier === 0 ? 'danger' : r.tier === 1 ? 'warn' : 'neutral'}
                className="w-12 justify-center px-1 py-0 text-[11px]"
              >
                {reason.when}
              </Badge>
              <span className="w-40 shrink-0 truncate">
                <UntrustedText value={r.names.join(', ')} />
              </span>
              <span className="w-28 shrink-0">
                <HashCell value={r.sha256} label="SHA-256" />
              </span>
              <span className="min-w-0 truncate text-xs text-muted">{reason.why}</span>
            </li>
          );
        })}
      </ol>
      {order.data.total > order.data.rows.length && (
        <p className="mt-1 text-xs text-muted">…and {formatCount(order.data.total - order.data.rows.length)} more.</p>
      )}
    </details>
  );
}
