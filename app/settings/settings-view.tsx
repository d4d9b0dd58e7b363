'use client';

import { useQuery } from '@tanstack/react-query';
import { Info, Lock, TriangleAlert } from 'lucide-react';
import { ErrorCard } from '@/app/_components/error-card';
import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import { Skeleton } from '@/app/_components/ui/skeleton';
import { useTRPC } from '@/app/_trpc/client';
import { ApiKeyCard } from './api-key-card';
import { RateSettingsCard } from './rate-settings-card';
import { SkipVerifiedCard } from './skip-verified-card';
import { PUBLIC_API_NOTE } from './settings-model';

function SettingsSkeleton() {
  return (
    <div role="status" aria-label="Loading settings" className="space-y-6">
      {[3, 6].map((fields, i) => (
        <Card key={i}>
          <CardHeader>
            <Skeleton className="h-4 w-40" />
          </CardHeader>
          <CardBody className="grid gap-4 sm:grid-cols-3">
            {Array.from({ length: fields }, (_, j) => (
              <div key={j} className="space-y-1.5">
                <Skeleton className="h-3 w-24" />
                <Skeleton className="h-9 w-full" />
              </div>
            ))}
          </CardBody>
        </Card>
      ))}
    </div>
  );
}

export function SettingsView() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.vt.settings.queryOptions());
  const me = useQuery(trpc.system.me.queryOptions());

  if (settings.isPending) return <SettingsSkeleton />;
  if (settings.isError)
    return (
      <ErrorCard
        message={`Could not load the settings: ${settings.error.message}`}
        onRetry={() => void settings.refetch()}
      />
    );

  const s = settings.data;
  // The server refuses a change from anyone but an admin (hosted mode); the page says so up front.
  const role = me.data?.mode === 'hosted' ? (me.data.user?.role ?? null) : null;
  const readOnly = me.data?.mode === 'hosted' && role !== 'admin';
  return (
    <div className="space-y-6">
      {readOnly && (
        <p
          role="note"
          className="flex items-start gap-2 rounded-md border border-border bg-surface-2 px-3 py-2 text-sm"
        >
          <Lock className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden />
          <span>
            Read-only: you are signed in as{' '}
            {role === null ? 'a user without a role' : `${role === 'analyst' ? 'an' : 'a'} ${role}`}. Only an admin can
            change these settings.
          </span>
        </p>
      )}
      <p className="flex items-start gap-2 rounded-md border border-border bg-info-bg px-3 py-2 text-sm">
        <Info className="mt-0.5 size-4 shrink-0 text-accent" aria-hidden />
        <span>{PUBLIC_API_NOTE}</span>
      </p>
      {!s.usesRealVirusTotal && (
        <p className="flex items-start gap-2 rounded-md border border-warn/30 bg-warn-bg px-3 py-2 text-sm text-warn">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>This server sends lookups to a stand-in set by VT_BASE_URL, not to www.virustotal.com.</span>
        </p>
      )}
      <ApiKeyCard settings={s} readOnly={readOnly} />
      <RateSettingsCard settings={s} readOnly={readOnly} />
      <SkipVerifiedCard settings={s} readOnly={readOnly} />
    </div>
  );
}
