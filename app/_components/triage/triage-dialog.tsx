'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  TRIAGE_DECISIONS,
  TRIAGE_LABELS,
  TRIAGE_NOTE_MAX,
  triageNoteProblem,
  type TriageDecision,
} from '@/domain/triage';
import { useTRPC } from '@/app/_trpc/client';
import { formatDateTime } from '../format';
import { UntrustedText } from '../tables/untrusted-text';
import { Button } from '../ui/button';
import { VerdictBadge } from '../verdict-badge';
import { detectionsText } from '../vt-format';
import { TriageBadge } from './triage-badge';
import type { TriageEntry, TriageTarget } from './triage-context';

const HINTS: Record<TriageDecision, string> = {
  malicious: 'On the IOC lists whatever VirusTotal says.',
  'false-positive': 'VirusTotal flags it, but it is not malicious: left off the IOC lists.',
  benign: 'Known and harmless: left off the IOC lists.',
};

/**
 * One executable's decision: the current one (who, when, note), the three choices with a note,
 * Save / Clear, and the history below. A native modal <dialog>: focus stays inside, Escape closes.
 * Viewers get the same dialog read-only.
 */
export function TriageDialog({
  runId,
  target,
  current,
  canEdit,
  onClose,
}: {
  runId: number;
  target: TriageTarget;
  current: TriageEntry | null;
  canEdit: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const noteId = useId();
  // What the person saw when opening: a save based on it is refused if someone else changed it since.
  const [basedOn] = useState(current?.logId ?? null);
  const [decision, setDecision] = useState<TriageDecision | ''>(current?.decision ?? '');
  const [note, setNote] = useState(current?.note ?? '');
  const history = useQuery(trpc.triage.history.queryOptions({ sha256: target.sha256 }));

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.triage.forRun.queryKey({ runId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.triage.history.queryKey({ sha256: target.sha256 }) }),
      queryClient.invalidateQueries({ queryKey: trpc.fleet.prevalence.queryKey() }),
    ]);
  const save = useMutation(trpc.triage.set.mutationOptions({ onSuccess: () => void refresh().then(onClose) }));
  const clear = useMutation(trpc.triage.clear.mutationOptions({ onSuccess: () => void refresh().then(onClose) }));
  const pending = save.isPending || clear.isPending;
  const noteProblem = triageNoteProblem(note);
  const error = save.error ?? clear.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (decision === '' || noteProblem) return;
    clear.reset();
    save.mutate({ sha256: target.sha256, decision, note, basedOn });
  };

  const previous = (history.data ?? []).filter((h) => h.id !== current?.logId);
  const vtText = detectionsText(target.vt);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-border bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40"
    >
      <form onSubmit={submit} className="space-y-4 p-5">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <h2 id={titleId} className="text-base font-semibold">
              Triage
            </h2>
            <p className="truncate text-sm">
              <UntrustedText value={target.names.join(', ') || '(no name)'} />
            </p>
            <p className="font-mono text-xs break-all text-muted">{target.sha256}</p>
          </div>
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded p-1 text-muted hover:bg-surface-2 hover:text-fg"
            aria-label="Close"
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>

        <div className="flex flex-wrap items-center gap-2 rounded-md bg-surface-2 px-3 py-2 text-sm">
          <span className="text-muted">VirusTotal:</span>
          <VerdictBadge vt={target.vt} />
          {vtText && <span className="tabular-nums">{vtText}</span>}
          <span className="text-xs text-muted">— unchanged by triage</span>
        </div>

        <div className="space-y-1 text-sm" aria-live="polite">
          <p className="text-muted">Current decision</p>
          {current ? (
            <div className="space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <TriageBadge triage={current} withTitle={false} />
                <span>
                  by <UntrustedText value={current.decidedBy} /> on {formatDateTime(current.decidedAt)}
                </span>
              </p>
              {current.note && (
                <p className="max-h-24 overflow-auto rounded border border-border px-2 py-1 whitespace-pre-wrap">
                  {current.note}
                </p>
              )}
            </div>
          ) : (
            <p>None yet.</p>
          )}
        </div>

        {canEdit ? (
          <>
            <fieldset className="space-y-1.5">
              <legend className="mb-1 text-sm font-medium">Decision</legend>
              {TRIAGE_DECISIONS.map((d) => (
                <label key={d} className="flex items-start gap-2 text-sm">
                  <input
                    type="radio"
                    name="decision"
                    value={d}
                    checked={decision === d}
                    onChange={() => setDecision(d)}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-medium">{TRIAGE_LABELS[d]}</span>{' '}
                    <span className="text-xs text-muted">{HINTS[d]}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="space-y-1">
              <label htmlFor={noteId} className="text-sm font-medium">
                Note
              </label>
              <textarea
                id={noteId}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                rows={3}
                aria-invalid={noteProblem ? true : undefined}
                className="w-full rounded-md border border-border bg-surface px-2 py-1.5 text-sm focus:border-accent focus:outline-none"
              />
              <p className={noteProblem ? 'text-xs text-danger' : 'text-xs text-muted'}>
                {noteProblem ?? `${note.length} / ${TRIAGE_NOTE_MAX} characters`}
              </p>
            </div>
            {error && (
              <p role="alert" className="text-sm text-danger">
                {error.message}
              </p>
            )}
            <div className="flex flex-wrap items-center gap-2">
              <Button type="submit" variant="primary" disabled={pending || decision === '' || noteProblem !== null}>
                Save
              </Button>
              {current && (
                <Button
                  type="button"
                  variant="secondary"
                  disabled={pending}
                  onClick={() => {
                    save.reset();
                    clear.mutate({ sha256: target.sha256, basedOn });
                  }}
                >
                  Clear decision
                </Button>
              )}
              <Button type="button" variant="ghost" disabled={pending} onClick={() => ref.current?.close()}>
                Cancel
              </Button>
            </div>
          </>
        ) : (
          <p className="text-sm text-muted">Your role can read decisions; an analyst or admin can change them.</p>
        )}

        {previous.length > 0 && (
          <div className="space-y-1 border-t border-border pt-3">
            <p className="text-sm font-medium">Earlier decisions</p>
            <ol className="max-h-40 space-y-1 overflow-auto text-xs" aria-label="Earlier decisions">
              {previous.map((h) => (
                <li key={h.id}>
                  <span className="font-medium">{h.decision ? TRIAGE_LABELS[h.decision] : 'Cleared'}</span> by{' '}
                  <UntrustedText value={h.decidedBy} /> on {formatDateTime(h.decidedAt)}
                  {h.note && <span className="block whitespace-pre-wrap text-muted">{h.note}</span>}
                </li>
              ))}
            </ol>
          </div>
        )}
      </form>
    </dialog>
  );
}
