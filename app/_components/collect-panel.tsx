'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Play } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../_trpc/client';
import { isPercent } from '@/domain/percent';
import { Button } from './ui/button';
import { Card, CardBody, CardHeader, CardTitle } from './ui/card';

function parsePercent(raw: string): number | string {
  if (raw.trim() === '') return 0;
  const n = Number(raw);
  if (!isPercent(n)) return 'Enter a number from 0 to 100.';
  return n;
}

export function CollectPanel() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [raw, setRaw] = useState('0');
  const parsed = parsePercent(raw);
  const invalid = typeof parsed === 'string' ? parsed : null;
  const collect = useMutation(
    trpc.runs.collect.mutationOptions({
      onSuccess: async ({ runId }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.runs.pathKey() });
        router.push(`/runs/${runId}`);
      },
    }),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typeof parsed === 'number') collect.mutate({ minMemoryPercent: parsed });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>New snapshot of this host</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-4" noValidate>
          <div className="flex flex-col gap-1">
            <label htmlFor={inputId} className="text-xs font-medium text-muted">
              Minimum memory %
            </label>
            <input
              id={inputId}
              inputMode="decimal"
              value={raw}
              onChange={(e) => setRaw(e.target.value)}
              aria-invalid={invalid !== null}
              aria-describedby={`${inputId}-help`}
              className="h-9 w-32 rounded-md border border-border bg-surface px-2.5 text-sm tabular-nums aria-[invalid=true]:border-danger"
            />
          </div>
          <Button type="submit" variant="primary" disabled={invalid !== null || collect.isPending}>
            <Play aria-hidden />
            {collect.isPending ? 'Starting…' : 'Collect processes'}
          </Button>
        </form>
        <p
          id={`${inputId}-help`}
          className={invalid ? 'mt-2 text-sm text-danger' : 'mt-2 text-xs text-muted'}
          role={invalid ? 'alert' : undefined}
        >
          {invalid ?? 'Keeps processes using at least this share of RAM; 0 keeps every process.'}
        </p>
        {collect.error && (
          <p role="alert" className="mt-2 text-sm text-danger">
            {collect.error.message}
          </p>
        )}
      </CardBody>
    </Card>
  );
}
