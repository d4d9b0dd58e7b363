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
import { ReassignForm } from './reassign-form';

const th = 'px-3 py-2 text-left text-xs font-medium text-muted';
const td = 'px-3 py-2';

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
        <Card className="overflow-x-auto">
          <table className="w-full text-[13px]">
            <thead className="border-b border-border bg-surface-2">
              <tr>
                <th className={th}>Name</th>
                <th className={th}>Prefix</th>
                <th className={th}>Owner</th>
                <th className={th}>Created</th>
                <th className={th}>Last used</th>
                <th className={th}>Status</th>
                <th className={th} />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <Fragment key={t.id}>
                  <tr className="border-b border-border last:border-0">
                    <td className={`${td} font-medium`}>{t.name}</td>
                    <td className={`${td} font-mono text-xs`}>{t.prefix}…</td>
                    <td className={td}>{t.owner ?? <span className="text-muted">{OPERATOR_OWNER_LABEL}</span>}</td>
                    <td className={`${td} tabular-nums`}>{formatDateTime(t.createdAt)}</td>
                    <td className={`${td} tabular-nums`}>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}</td>
                    <td className={td}>
                      <Badge tone={t.status === 'active' ? 'ok' : t.status === 'revoked' ? 'neutral' : 'danger'}>
                        {TOKEN_STATUS_LABEL[t.status]}
                      </Badge>
                    </td>
                    <td className={`${td} space-x-2 text-right`}>
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
                    </td>
                  </tr>
                  {reassigning === t.name && (
                    <tr className="border-b border-border bg-surface-2">
                      <td className={td} colSpan={7}>
                        <ReassignForm
                          name={t.name}
                          currentOwner={t.owner}
                          onCancel={() => setReassigning(null)}
                          onDone={() => {
                            setReassigning(null);
                            void refresh();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
