'use client';

import { useQueryClient } from '@tanstack/react-query';
import { KeyRound, Trash2 } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/app/_components/ui/button';
import { Card, CardBody, CardHeader, CardTitle } from '@/app/_components/ui/card';
import { Note } from '@/app/_components/ui/note';
import { useTRPC, useTRPCClient } from '@/app/_trpc/client';
import type { VtSettingsView } from '@/app/_trpc/types';
import { splitServerError, validateApiKey } from './settings-model';

const SOURCE_TEXT = {
  settings: 'Saved on this Settings page.',
  env: 'From the VT_API_KEY environment variable on the server. A key saved here takes its place.',
} as const;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : 'The server did not answer. Try again.';
}

/**
 * The key goes to the server once and is gone from the page: the input is cleared, and the call is
 * made with the plain client so the key never sits in TanStack's mutation cache. What comes back
 * (and is shown) is only the hint, `••••abcd`.
 */
export function ApiKeyCard({ settings, readOnly = false }: { settings: VtSettingsView; readOnly?: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);

  const apply = async (next: VtSettingsView) => {
    queryClient.setQueryData(trpc.vt.settings.queryKey(), next);
    // A new key lifts an auth stop; the quota and any run's check status may read differently now.
    await queryClient.invalidateQueries({ queryKey: trpc.vt.pathKey() });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = validateApiKey(draft);
    setNotice(null);
    if (invalid) {
      setError(invalid);
      return;
    }
    const apiKey = draft.trim();
    setBusy('save');
    setError(null);
    try {
      const next = await client.vt.setApiKey.mutate({ apiKey });
      setDraft('');
      setNotice(`Key saved. It shows as ${next.keyHint ?? 'set'} from now on.`);
      await apply(next);
    } catch (err) {
      const { fieldErrors, formError } = splitServerError(errorMessage(err), ['apiKey'] as const);
      setError(fieldErrors.apiKey ?? formError);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('remove');
    setError(null);
    setNotice(null);
    try {
      const next = await client.vt.removeApiKey.mutate();
      setNotice(next.keyConfigured ? 'Key removed. The VT_API_KEY environment variable is used now.' : 'Key removed.');
      await apply(next);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const helpId = `${inputId}-help`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>VirusTotal API key</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        {settings.keyConfigured && settings.keySource ? (
          <div className="flex flex-wrap items-center gap-3">
            <KeyRound className="size-4 text-muted" aria-hidden />
            <div className="min-w-0">
              <p className="text-sm">
                Key in use: <span className="font-mono font-medium">{settings.keyHint}</span>
              </p>
              <p className="text-xs text-muted">{SOURCE_TEXT[settings.keySource]}</p>
            </div>
            {settings.keySource === 'settings' && !readOnly && (
              <Button
                size="sm"
                variant="secondary"
                className="ml-auto"
                onClick={() => void remove()}
                disabled={busy !== null}
              >
                <Trash2 aria-hidden />
                {busy === 'remove' ? 'Removing…' : 'Remove key'}
              </Button>
            )}
          </div>
        ) : (
          <p className="text-sm text-muted">
            No key yet. Without one, processes are still collected and the workbook downloads, but hashes are not
            checked on VirusTotal.
          </p>
        )}
        {!readOnly && (
          <form onSubmit={(e) => void save(e)} className="flex flex-wrap items-end gap-3" noValidate>
            <div className="flex min-w-64 flex-1 flex-col gap-1">
              <label htmlFor={inputId} className="text-xs font-medium text-muted">
                VirusTotal API key
              </label>
              <input
                id={inputId}
                type="password"
                name="vt-api-key"
                value={draft}
                onChange={(e) => {
                  setDraft(e.target.value);
                  if (error) setError(null);
                }}
                autoComplete="off"
                spellCheck={false}
                placeholder={
                  settings.keyConfigured
                    ? 'Paste a new key to replace the one in use'
                    : 'Paste the key from your VirusTotal profile'
                }
                aria-invalid={error !== null}
                aria-describedby={helpId}
                className="h-9 rounded-md border border-border bg-surface px-2.5 font-mono text-sm aria-[invalid=true]:border-danger"
              />
            </div>
            <Button type="submit" variant="primary" disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save key'}
            </Button>
          </form>
        )}
        <p
          id={helpId}
          role={error ? 'alert' : undefined}
          className={error ? 'text-sm text-danger' : 'text-xs text-muted'}
        >
          {error ?? 'Stored on the server only; this page never shows it again, just its last four characters.'}
        </p>
        {notice && (
          <Note tone="ok" role="status">
            {notice}
          </Note>
        )}
      </CardBody>
    </Card>
  );
}
