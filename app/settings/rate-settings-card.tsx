'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/app/_components/ui/button';
import { Card, CardBody, CardHeader, CardTitle } from '@/app/_components/ui/card';
import { Note } from '@/app/_components/ui/note';
import { useTRPC } from '@/app/_trpc/client';
import type { VtSettingsView } from '@/app/_trpc/types';
import { PUBLIC_API_LIMITS } from '@/domain/vt-settings';
import {
  RATE_FIELDS,
  RATE_FIELD_SPECS,
  splitServerError,
  toDraft,
  validateRateDraft,
  type FieldErrors,
  type RateDraft,
  type RateField,
  type RateValues,
} from './settings-model';

function pick(s: VtSettingsView): RateValues {
  return Object.fromEntries(RATE_FIELDS.map((f) => [f, s[f]])) as RateValues;
}

function Field({
  field,
  value,
  error,
  onChange,
}: {
  field: RateField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const spec = RATE_FIELD_SPECS[field];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {spec.label}
      </label>
      <input
        id={id}
        name={field}
        inputMode={spec.integer ? 'numeric' : 'decimal'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-msg`}
        className="h-9 w-full rounded-md border border-border bg-surface px-2.5 text-sm tabular-nums aria-[invalid=true]:border-danger"
      />
      <p id={`${id}-msg`} className={error ? 'text-xs text-danger' : 'text-xs text-muted'}>
        {error ?? spec.help}
      </p>
    </div>
  );
}

/** Rate limits, the verdict threshold and how long answers are reused. Only changed values are sent. */
export function RateSettingsCard({ settings, readOnly = false }: { settings: VtSettingsView; readOnly?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = pick(settings);
  const [draft, setDraft] = useState<RateDraft>(() => toDraft(saved));
  const [errors, setErrors] = useState<FieldErrors<RateField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const update = useMutation(
    trpc.vt.updateSettings.mutationOptions({
      onSuccess: async (next) => {
        queryClient.setQueryData(trpc.vt.settings.queryKey(), next);
        setDraft(toDraft(pick(next)));
        setNotice('Settings saved.');
        // Verdicts follow the threshold and ETAs the rate: what is on screen elsewhere is stale now.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.vt.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.processes.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.executables.pathKey() }),
        ]);
      },
      onError: (e) => {
        const split = splitServerError(e.message, RATE_FIELDS);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    }),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    setFormError(null);
    const result = validateRateDraft(draft, saved);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    if (Object.keys(result.changes).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    update.mutate(result.changes);
  };

  const set = (field: RateField) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setNotice(null);
    if (errors[field]) setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  const overPublic =
    Number(draft.requestsPerMinute) > PUBLIC_API_LIMITS.requestsPerMinute ||
    Number(draft.requestsPerDay) > PUBLIC_API_LIMITS.requestsPerDay;
  const formErrorId = useId();

  return (
    <Card>
      <CardHeader>
        <CardTitle>Rate limits and verdicts</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} noValidate aria-describedby={formError ? formErrorId : undefined} className="space-y-4">
          <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {RATE_FIELDS.map((f) => (
              <Field key={f} field={f} value={draft[f]} error={errors[f]} onChange={set(f)} />
            ))}
          </fieldset>
          {overPublic && (
            <Note tone="warn" small>
              More than the free public API allows ({PUBLIC_API_LIMITS.requestsPerMinute}/minute,{' '}
              {PUBLIC_API_LIMITS.requestsPerDay}/day): use these rates only with a premium key, or VirusTotal will
              refuse requests.
            </Note>
          )}
          <div className={readOnly ? 'hidden' : 'flex flex-wrap items-center gap-3'}>
            <Button type="submit" variant="primary" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save settings'}
            </Button>
            {notice && (
              <Note tone="ok" role="status">
                {notice}
              </Note>
            )}
          </div>
          {(formError || Object.keys(errors).length > 0) && (
            <p id={formErrorId} role="alert" className="text-sm text-danger">
              {formError ?? 'Some values need fixing; see the messages under the fields.'}
            </p>
          )}
        </form>
      </CardBody>
    </Card>
  );
}
