'use client';

import { useQuery } from '@tanstack/react-query';
import { ChevronRight, X } from 'lucide-react';
import { createContext, useContext, useEffect, useId, useRef } from 'react';
import { Badge, type BadgeTone } from '@/app/_components/ui/badge';
import { ErrorCard } from '@/app/_components/error-card';
import { Button } from '@/app/_components/ui/button';
import { cn } from '@/app/_components/ui/cn';
import { Skeleton } from '@/app/_components/ui/skeleton';
import { VerdictBadge } from '@/app/_components/verdict-badge';
import { detectionsText, sortEngines } from '@/app/_components/vt-format';
import { useTRPC } from '@/app/_trpc/client';
import type { ExecutableRow } from '@/app/_trpc/types';
import { escapeForDisplay } from '../display-text';
import { HashCell } from '../hash-cell';
import { Missing, UntrustedText } from '../untrusted-text';
import { VtLinkCell } from '../vt-cells';

/**
 * A row's per-engine VirusTotal results open in a side panel rather than an inline row: every
 * virtualized row has one fixed height. The open row is shared through context so the module-scope
 * column definitions can render their toggle.
 */
interface EngineDetailsState {
  openSha: string | null;
  panelId: string;
  toggle: (sha256: string) => void;
}

export const EngineDetailsContext = createContext<EngineDetailsState>({ openSha: null, panelId: '', toggle: () => {} });

export const engineToggleId = (sha256: string) => `engine-toggle-${sha256}`;

function rowName(r: ExecutableRow): string {
  return escapeForDisplay(r.names[0] ?? r.sha256.slice(0, 12));
}

export function EngineToggle({ row }: { row: ExecutableRow }) {
  const { openSha, panelId, toggle } = useContext(EngineDetailsContext);
  const open = openSha === row.sha256;
  return (
    <button
      type="button"
      id={engineToggleId(row.sha256)}
      aria-expanded={open}
      aria-controls={open ? panelId : undefined}
      aria-label={`Engine results for ${rowName(row)}`}
      title="Engine results"
      onClick={() => toggle(row.sha256)}
      className="inline-flex size-6 items-center justify-center rounded text-muted hover:bg-surface hover:text-fg"
    >
      <ChevronRight className={cn('size-4 transition-transform', open && 'rotate-90 text-accent')} aria-hidden />
    </button>
  );
}

const CATEGORY_TONE: Record<string, BadgeTone> = {
  malicious: 'danger',
  suspicious: 'warn',
  harmless: 'ok',
  undetected: 'neutral',
};

function EngineList({ sha256 }: { sha256: string }) {
  const trpc = useTRPC();
  const engines = useQuery(trpc.vt.engines.queryOptions({ sha256 }, { select: sortEngines }));
  if (engines.isPending)
    return (
      <div role="status" aria-label="Loading engine results" className="space-y-2">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-5 w-full" />
        ))}
      </div>
    );
  if (engines.isError)
    return (
      <ErrorCard
        inline
        message={`Could not load the engine results: ${engines.error.message}`}
        onRetry={() => void engines.refetch()}
      />
    );
  if (engines.data.length === 0)
    return <p className="text-sm text-muted">VirusTotal listed no engine results for this file.</p>;
  return (
    <table className="w-full table-fixed text-[13px]" aria-label="Engine results">
      <thead>
        <tr className="text-left text-xs text-muted">
          <th scope="col" className="w-[40%] pb-1 font-medium">
            Engine
          </th>
          <th scope="col" className="w-[25%] pb-1 font-medium">
            Category
          </th>
          <th scope="col" className="pb-1 font-medium">
            Result
          </th>
        </tr>
      </thead>
      <tbody>
        {engines.data.map((e) => (
          <tr key={e.engine} className="border-t border-border/60">
            <td className="truncate py-1 pr-2">
              <UntrustedText value={e.engine} />
            </td>
            <td className="py-1 pr-2">
              <Badge tone={CATEGORY_TONE[e.category] ?? 'neutral'} className="px-1 py-0 text-[11px]">
                <UntrustedText value={e.category} title={false} />
              </Badge>
            </td>
            <td className="truncate py-1">{e.result ? <UntrustedText value={e.result} /> : <Missing />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StateMessage({ row }: { row: ExecutableRow }) {
  const vt = row.vt;
  if (!vt)
    return <p className="text-sm text-muted">Not checked yet. Press Check on VirusTotal above to look this hash up.</p>;
  if (vt.state === 'pending')
    return <p className="text-sm text-muted">Waiting for VirusTotal; the results appear here when it answers.</p>;
  if (vt.state === 'failed')
    return (
      <p className="text-sm text-danger">
        The lookup failed
        {vt.reason ? (
          <>
            : <UntrustedText value={vt.reason} />
          </>
        ) : (
          '.'
        )}{' '}
        Use Retry failed above to try again.
      </p>
    );
  if (vt.state === 'not-hashed')
    return <p className="text-sm text-muted">This executable was not hashed, so there is nothing to look up.</p>;
  return <p className="text-sm text-muted">VirusTotal has no report for this file: no engine has analysed it.</p>;
}

export function EnginePanel({ row, id, onClose }: { row: ExecutableRow; id: string; onClose: () => void }) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  const found = row.vt?.state === 'checked' && row.vt.vtScore !== null;
  const detections = detectionsText(row.vt);
  const threat = row.vt?.state === 'checked' ? row.vt.threatLabel : null;

  // Opening another row keeps the panel where the reader is looking: back to its top.
  useEffect(() => {
    ref.current?.scrollTo({ top: 0 });
  }, [row.sha256]);

  return (
    <section
      ref={ref}
      id={id}
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      className="flex max-h-[calc(100vh-16rem)] min-h-[400px] flex-col gap-3 overflow-auto rounded-lg border border-border bg-surface p-4 lg:sticky lg:top-16"
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={headingId} className="text-sm font-semibold">
            Engine results
          </h3>
          <p className="truncate text-sm">
            <UntrustedText value={row.names.join(', ') || 'unnamed executable'} />
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close engine results" title="Close (Esc)">
          <X aria-hidden />
        </Button>
      </div>
      <HashCell value={row.sha256} label="SHA-256" />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <VerdictBadge vt={row.vt} />
        {detections && <span className="tabular-nums">{detections} engines</span>}
        {threat && (
          <span className="min-w-0 truncate text-muted">
            <UntrustedText value={threat} />
          </span>
        )}
        {found && (
          <span className="ml-auto">
            <VtLinkCell vt={row.vt} href={row.vtLink} />
          </span>
        )}
      </div>
      {found ? <EngineList sha256={row.sha256} /> : <StateMessage row={row} />}
    </section>
  );
}
