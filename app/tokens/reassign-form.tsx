'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../_trpc/client';
import { Button } from '../_components/ui/button';

/** Another admin takes a token over: a list of admins in good standing, and a confirm button. */
export function ReassignForm({
  name,
  currentOwner,
  onDone,
  onCancel,
}: {
  name: string;
  currentOwner: string | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const owners = useQuery(trpc.tokens.owners.queryOptions());
  const reassign = useMutation(trpc.tokens.reassign.mutationOptions({ onSuccess: onDone }));
  const choices = (owners.data ?? []).filter((o) => o.email !== currentOwner);
  const [picked, setPicked] = useState('');

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const toEmail = picked || choices[0]?.email;
    if (toEmail) reassign.mutate({ name, toEmail });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2 text-sm">
      <label className="space-y-1">
        <span className="block font-medium">New owner for {name}</span>
        <select
          value={picked || choices[0]?.email || ''}
          onChange={(e) => setPicked(e.target.value)}
          disabled={owners.isPending || choices.length === 0}
          className="rounded-md border border-border bg-surface px-2.5 py-1.5"
        >
          {choices.map((o) => (
            <option key={o.email} value={o.email}>
              {o.name && o.name !== o.email ? `${o.name} <${o.email}>` : o.email}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" size="sm" variant="primary" disabled={reassign.isPending || choices.length === 0}>
        Give {name} to this admin
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      {owners.isSuccess && choices.length === 0 && (
        <p className="w-full text-muted">
          No other admin can take it over. Create one first: npx proclens admin create-user.
        </p>
      )}
      {(reassign.error ?? owners.error) && (
        <p role="alert" className="w-full text-danger">
          {(reassign.error ?? owners.error)!.message}
        </p>
      )}
    </form>
  );
}
