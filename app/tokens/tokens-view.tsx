'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { OPERATOR_OWNER_LABEL, TOKEN_STATUS_LABEL } from '@/domain/agent-tokens';
import { useTRPC } from '../_trpc/client';
import { ErrorCard } from '../_components/error-card';
import { formatDateTime, formatRelative } from '../_components/format';
import { CopyButton } from '../_components/tables/copy-button';
import { Badge } from '../_components/ui/badge';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../_components/ui/table';
import { ReassignForm } from './reassign-form';

export function TokensView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (t) => {
        setCreated({ name: t.name, token: t.token });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  const [reassigning, setReassigning] = useState<string | null>(null);

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
    setCreated(null);
    create.mutate({ name });
  }

  return (
    <div className="space-y-4">
      <Card className="p-4">
        <form onSubmit={onCreate} className="flex flex-wrap items-end gap-2">
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Token name</span>
            <input
              name="name"
              required
              maxLength={64}
              placeholder="web-servers"
              className="rounded-md border border-border bg-surface px-2.5 py-1.5"
            />
          </label>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Create token
          </Button>
        </form>
        {create.error && (
          <p role="alert" className="mt-2 text-sm text-danger">
            {create.error.message}
          </p>
        )}
        {created && (
          <div className="mt-3 space-y-1 rounded-md border border-warn/40 bg-warn-bg p-3 text-sm" role="status">
            <p className="font-medium">Token &quot;{created.name}&quot; — copy it now, it is shown only once:</p>
            <div className="flex items-center gap-2">
              <code className="break-all" data-testid="new-token">
                {created.token}
              </code>
              <CopyButton value={created.token} label="Copy token" />
            </div>
            <p className="text-muted">
              On each host:{' '}
              <code>
                PROCLENS_AGENT_TOKEN=… npx proclens agent --server{' '}
                {typeof window === 'undefined' ? 'URL' : window.location.origin}
              </code>
            </p>
          </div>
        )}
      </Card>
      {tokens.isPending ? (
        <Card>
          <TableSkeleton />
        </Card>
      ) : tokens.isError ? (
        <ErrorCard
          message={`Could not load the tokens: ${tokens.error.message}`}
          onRetry={() => void tokens.refetch()}
        />
      ) : tokens.data.length === 0 ? (
        <Card className="p-6 text-sm text-muted">No agent tokens yet. Create one above for each group of hosts.</Card>
      ) : (
        <Table>
          <TableHeader>
            <TableHead>Name</TableHead>
            <TableHead>Prefix</TableHead>
            <TableHead>Owner</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            <TableHead />
          </TableHeader>
          <TableBody>
            {tokens.data.map((t) => (
              <Fragment key={t.id}>
                <TableRow hover={false}>
                  <TableCell className="font-medium">{t.name}</TableCell>
                  <TableCell className="font-mono text-xs">{t.prefix}…</TableCell>
                  <TableCell>{t.owner ?? <span className="text-muted">{OPERATOR_OWNER_LABEL}</span>}</TableCell>
                  <TableCell className="tabular-nums">{formatDateTime(t.createdAt)}</TableCell>
                  <TableCell className="tabular-nums">
                    {t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}
                  </TableCell>
                  <TableCell>
                    <Badge tone={t.status === 'active' ? 'ok' : t.status === 'revoked' ? 'neutral' : 'danger'}>
                      {TOKEN_STATUS_LABEL[t.status]}
                    </Badge>
                  </TableCell>
                  <TableCell align="end" className="space-x-2">
                    {!t.revokedAt && (
                      <>
                        <Button
                          size="sm"
                          onClick={() => setReassigning(reassigning === t.name ? null : t.name)}
                          aria-expanded={reassigning === t.name}
                        >
                          Re-assign {t.name}
                        </Button>
                        <Button
                          size="sm"
                          variant="danger"
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate({ name: t.name })}
                        >
                          Revoke {t.name}
                        </Button>
                      </>
                    )}
                  </TableCell>
                </TableRow>
                {reassigning === t.name && (
                  <TableRow hover={false} className="bg-surface-2">
                    <TableCell colSpan={7}>
                      <ReassignForm
                        name={t.name}
                        currentOwner={t.owner}
                        onCancel={() => setReassigning(null)}
                        onDone={() => {
                          setReassigning(null);
                          void refresh();
                        }}
                      />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
