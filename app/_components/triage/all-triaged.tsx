'use client';

import { CircleCheck } from 'lucide-react';
import { UNTRIAGED_FILTER_LABEL } from '@/domain/triage';
import { setUrlValue } from '../url/url-state';
import { untriagedParam } from './triage-param';

/** The empty state of the untriaged filter: nothing left to decide. */
export function AllTriaged() {
  return (
    <div className="flex flex-col items-center gap-2 text-center">
      <CircleCheck className="size-6 text-ok" aria-hidden />
      <p className="text-sm font-medium">Nothing left to triage</p>
      <p className="max-w-md text-sm text-muted">
        Every executable with a VTScore of 1 or more has a decision (or none has been flagged yet).
      </p>
      <button
        type="button"
        className="text-sm font-medium text-accent hover:underline"
        onClick={() => setUrlValue(untriagedParam, false)}
      >
        Show all rows ({UNTRIAGED_FILTER_LABEL} off)
      </button>
    </div>
  );
}
