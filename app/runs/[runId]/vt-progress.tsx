import { formatCount } from '@/app/_components/format';
import { formatEta, progressText } from '@/app/_components/vt-format';
import type { VtCheckStatus } from '@/app/_trpc/types';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm font-medium tabular-nums">{value}</dd>
    </div>
  );
}

/** A check under way: "3 of 7 hashes checked" on a bar, with requests made, time left and failures. */
export function VtProgress({ status }: { status: VtCheckStatus }) {
  const text = progressText(status.checked, status.total);
  const pct = status.total > 0 ? Math.min(100, Math.round((status.checked / status.total) * 100)) : 0;
  const eta = formatEta(status.etaMs);
  return (
    <div className="space-y-3">
      <div className="space-y-1.5">
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span className="font-medium tabular-nums" aria-live="polite">
            {text}
          </span>
          <span className="text-xs text-muted tabular-nums">{pct}%</span>
        </div>
        <div
          role="progressbar"
          aria-label="VirusTotal progress"
          aria-valuemin={0}
          aria-valuemax={status.total}
          aria-valuenow={status.checked}
          aria-valuetext={text}
          className="h-1.5 overflow-hidden rounded-full bg-surface-2"
        >
          <div className="h-full rounded-full bg-accent transition-[width] duration-500" style={{ width: `${pct}%` }} />
        </div>
      </div>
      <dl className="flex flex-wrap gap-x-8 gap-y-2">
        <Fact label="Requests made" value={formatCount(status.check?.requestsMade ?? 0)} />
        <Fact
          label="Time left"
          value={
            eta ??
            (status.quota.paused?.reason === 'auth'
              ? 'stopped until the key is fixed'
              : status.pending > 0
                ? 'estimating…'
                : '—')
          }
        />
        <Fact label="Failed" value={formatCount(status.failed)} />
      </dl>
    </div>
  );
}
