'use client';

import { GitCompareArrows } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { parseDiffAgainst } from '@/domain/run-diff';
import { parseRunId } from '@/domain/run-id';
import { formatDateTime } from '@/app/_components/format';
import { setUrlValue } from '@/app/_components/url/url-state';
import { Button } from '@/app/_components/ui/button';
import { runParams } from './run-params';

/** What the Diff view compares with: the previous run, the pinned baseline, a listed run or any run id (`against=`). */
export function ComparePicker(props: {
  runId: number;
  value: string;
  baselineRunId: number | null;
  candidates: ReadonlyArray<{ id: number; status: string; startedAt: Date; processCount: number }>;
}) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const listed = props.candidates.some((c) => String(c.id) === props.value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = parseRunId(typed.trim());
    if (id === null) return setProblem('Type a run id: a positive whole number.');
    if (id === props.runId) return setProblem('That is this run; choose another one.');
    setProblem(null);
    setTyped('');
    setUrlValue(runParams.against, id);
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <GitCompareArrows className="size-4 text-muted" aria-hidden />
      <label htmlFor="diff-against" className="text-sm font-medium">
        Compare with
      </label>
      <select
        id="diff-against"
        value={props.value}
        onChange={(e) => setUrlValue(runParams.against, parseDiffAgainst(e.target.value))}
        className="h-8 max-w-[22rem] rounded-md border border-border bg-surface px-2 text-sm"
      >
        <option value="previous">Previous run of this host</option>
        <option value="baseline">
          {props.baselineRunId ? `Pinned baseline (run ${props.baselineRunId})` : 'Pinned baseline (none pinned)'}
        </option>
        <optgroup label="This host's runs">
          {props.candidates.map((c) => (
            <option key={c.id} value={String(c.id)} disabled={c.id === props.runId || c.status !== 'completed'}>
              {`Run ${c.id} — ${formatDateTime(c.startedAt)} — ${c.status === 'completed' ? `${c.processCount} processes` : c.status}${c.id === props.runId ? ' (this run)' : ''}${c.id === props.baselineRunId ? ' (baseline)' : ''}`}
            </option>
          ))}
        </optgroup>
        {!listed && /^\d+$/.test(props.value) && (
          <option value={props.value}>{`Run ${props.value} (chosen by id)`}</option>
        )}
      </select>
      <form onSubmit={submit} className="flex items-center gap-1">
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          inputMode="numeric"
          aria-label="Any run id"
          placeholder="any run id"
          aria-invalid={problem ? true : undefined}
          className="h-8 w-28 rounded-md border border-border bg-surface px-2 text-sm"
        />
        <Button size="sm" type="submit">
          Compare
        </Button>
      </form>
      {problem && (
        <p role="alert" className="w-full text-xs text-danger">
          {problem}
        </p>
      )}
    </div>
  );
}
