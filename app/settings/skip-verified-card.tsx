'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { Card, CardBody, CardHeader, CardTitle } from '@/app/_components/ui/card';
import { useTRPC } from '@/app/_trpc/client';
import type { VtSettingsView } from '@/app/_trpc/types';

/** The lookup queue's one switch: leave the distro's own, unmodified binaries out of checks. */
export function SkipVerifiedCard({ settings, readOnly = false }: { settings: VtSettingsView; readOnly?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const save = useMutation(
    trpc.vt.updateSettings.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.vt.settings.queryKey(), data),
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Lookup queue</CardTitle>
      </CardHeader>
      <CardBody className="space-y-2">
        <div className="flex items-start gap-2">
          <input
            id={id}
            type="checkbox"
            className="mt-1 size-4"
            checked={settings.skipPackageVerified}
            disabled={readOnly || save.isPending}
            onChange={(e) => save.mutate({ skipPackageVerified: e.target.checked })}
            aria-describedby={`${id}-help`}
          />
          <div>
            <label htmlFor={id} className="text-sm font-medium">
              Skip package-verified executables
            </label>
            <p id={`${id}-help`} className="text-xs text-muted">
              Checks leave out executables whose file matches its Debian/Ubuntu package&apos;s checksum and that carry
              no heuristic badge; the run page says how many were skipped. Off by default: the quota goes to what most
              likely matters first either way.
            </p>
          </div>
        </div>
        {save.error && (
          <p role="alert" className="text-sm text-danger">
            {save.error.message}
          </p>
        )}
      </CardBody>
    </Card>
  );
}
