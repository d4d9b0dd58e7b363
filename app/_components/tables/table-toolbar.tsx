'use client';

import { Search, X } from 'lucide-react';
import { useId, type ReactNode } from 'react';

/** Filter box, row count and extra controls (the Columns menu) above a data table. */
export function TableToolbar({
  filter,
  onFilterChange,
  onClear,
  placeholder,
  shown,
  total,
  loadingTotal,
  children,
}: {
  filter: string;
  onFilterChange: (value: string) => void;
  onClear: () => void;
  placeholder: string;
  shown: number;
  total: number;
  /** Only a first screen of rows is here: the count of the whole set being fetched. */
  loadingTotal?: number;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Filter
      </label>
      <div className="relative w-full max-w-md">
        <Search
          className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-muted"
          aria-hidden
        />
        <input
          id={id}
          type="text"
          value={filter}
          onChange={(e) => onFilterChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filter) {
              e.preventDefault();
              onClear();
            }
          }}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          className="h-7 w-full rounded-md border border-border bg-surface pr-7 pl-7 text-[13px] placeholder:text-muted focus:border-accent focus:outline-none"
        />
        {filter && (
          <button
            type="button"
            onClick={onClear}
            aria-label="Clear"
            title="Clear (Esc)"
            className="absolute top-1/2 right-1 inline-flex size-5 -translate-y-1/2 items-center justify-center rounded text-muted hover:bg-surface-2 hover:text-fg"
          >
            <X className="size-3.5" aria-hidden />
          </button>
        )}
      </div>
      <p className="text-xs text-muted tabular-nums" aria-live="polite">
        {loadingTotal === undefined
          ? `${shown} of ${total} rows`
          : `Loading all ${loadingTotal.toLocaleString('en-US')} rows…`}
      </p>
      <div className="ml-auto flex items-center gap-2">{children}</div>
    </div>
  );
}
