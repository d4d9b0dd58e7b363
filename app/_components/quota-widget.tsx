'use client';

import { useQuery } from '@tanstack/react-query';
import { CircleAlert, KeyRound, CirclePause } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useTRPC } from '../_trpc/client';
import type { VtQuota } from '../_trpc/types';
import { Card, CardBody, CardHeader, CardTitle } from './ui/card';
import { cn } from './ui/cn';
import { Skeleton } from './ui/skeleton';
import { useNow } from './use-now';
import { formatCount, localTimeText } from './format';
import { nextRequestText, quotaText } from './vt-format';

/** The quota is shared by every run and worker; a few seconds old is fresh enough for people. */
const QUOTA_REFRESH_MS = 4000;

type Paused = NonNullable<VtQuota['paused']>;

const settingsLinkEl = (
  <Link href="/settings" className="underline underline-offset-2">
    Settings
  </Link>
);

/** The server's message already points at "the Settings page": that phrase becomes the link. */
function AuthMessage({ message }: { message: string }) {
  const at = message.indexOf('Settings page');
  if (at < 0)
    return (
      <>
        {message} Fix the key on the {settingsLinkEl} page.
      </>
    );
  return (
    <>
      {message.slice(0, at)}
      {settingsLinkEl}
      {message.slice(at + 'Settings'.length)}
    </>
  );
}

/**
 * Why lookups have stopped, said where people look: the daily stop with the local time of the
 * 00:00 UTC reset, or VirusTotal's complaint about the key with the way to fix it.
 */
export function QuotaPausedNotice({
  paused,
  settingsLink = true,
  className,
}: {
  paused: Paused;
  settingsLink?: boolean;
  className?: string;
}) {
  return (
    <div
      role="alert"
      className={cn(
        'flex items-start gap-2 rounded-md border px-3 py-2 text-sm',
        paused.reason === 'auth' ? 'border-danger/30 bg-danger-bg text-danger' : 'border-warn/30 bg-warn-bg text-warn',
        className,
      )}
    >
      {paused.reason === 'auth' ? (
        <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      ) : (
        <CirclePause className="mt-0.5 size-4 shrink-0" aria-hidden />
      )}
      <p className="font-medium">
        {paused.reason === 'auth' && settingsLink ? <AuthMessage message={paused.message} /> : paused.message}
        {paused.reason === 'daily' && paused.until && (
          <>
            {' '}
            (<time dateTime={paused.until.toISOString()}>{localTimeText(paused.until)}</time> your time)
          </>
        )}
      </p>
    </div>
  );
}

function QuotaFacts({ quota }: { quota: VtQuota }) {
  const now = useNow(1000, quota.nextAllowedAt !== null);
  const used = quota.dailyLimit > 0 ? Math.min(1, quota.requestsToday / quota.dailyLimit) : 0;
  return (
    <div className="space-y-2">
      <p className="text-lg font-semibold tabular-nums">{quotaText(quota.requestsToday, quota.dailyLimit)}</p>
      <div aria-hidden className="h-1.5 overflow-hidden rounded-full bg-surface-2">
        <div
          className={cn('h-full rounded-full', used >= 1 ? 'bg-danger' : used >= 0.8 ? 'bg-warn' : 'bg-accent')}
          style={{ width: `${Math.round(used * 100)}%` }}
        />
      </div>
      <p className="text-xs text-muted tabular-nums">
        {formatCount(quota.perMinute)} requests/minute ·{' '}
        {quota.paused ? 'paused' : nextRequestText(quota.nextAllowedAt, now)}
      </p>
    </div>
  );
}

/** The shared VirusTotal budget: requests today of the daily limit, the rate, the next slot, pauses. */
function QuotaBody({
  children,
  showPaused = true,
  refreshMs = QUOTA_REFRESH_MS,
}: {
  children?: ReactNode;
  showPaused?: boolean;
  refreshMs?: number;
}) {
  const trpc = useTRPC();
  const quota = useQuery(trpc.vt.quota.queryOptions(undefined, { refetchInterval: refreshMs }));
  if (quota.isPending)
    return (
      <div role="status" aria-label="Loading quota" className="space-y-2">
        <Skeleton className="h-6 w-48" />
        <Skeleton className="h-1.5 w-full" />
        <Skeleton className="h-3 w-40" />
      </div>
    );
  if (quota.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        Could not load the VirusTotal quota: {quota.error.message}
      </p>
    );
  return (
    <div className="space-y-3">
      <QuotaFacts quota={quota.data} />
      {showPaused && quota.data.paused && <QuotaPausedNotice paused={quota.data.paused} />}
      {children}
    </div>
  );
}

/** Dashboard card; it also says when there is no key to spend the quota with. */
export function QuotaWidget() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.vt.settings.queryOptions());
  return (
    <Card>
      <CardHeader>
        <CardTitle>VirusTotal quota</CardTitle>
      </CardHeader>
      <CardBody>
        <QuotaBody>
          {settings.data && !settings.data.keyConfigured && (
            <p className="flex items-center gap-1.5 text-sm text-muted">
              <KeyRound className="size-4 shrink-0" aria-hidden />
              No API key yet: hashes cannot be checked.{' '}
              <Link href="/settings" className="font-medium text-accent hover:underline">
                Add a key
              </Link>
            </p>
          )}
        </QuotaBody>
      </CardBody>
    </Card>
  );
}

/**
 * The same facts without a card, for the run page's VirusTotal panel (which shows pauses itself);
 * it follows a running check as closely as the panel does.
 */
export function QuotaInline({ className, live = false }: { className?: string; live?: boolean }) {
  return (
    <section aria-labelledby="vt-quota-heading" className={className}>
      <h3 id="vt-quota-heading" className="mb-2 text-xs font-medium text-muted">
        Quota
      </h3>
      <QuotaBody showPaused={false} refreshMs={live ? 1000 : QUOTA_REFRESH_MS} />
    </section>
  );
}
