import { CopyButton } from './copy-button';
import { Missing } from './untrusted-text';

/** A hex digest: monospace, clipped with the full value as tooltip, and a copy button. */
export function HashCell({ value, label }: { value: string | null | undefined; label: string }) {
  if (!value) return <Missing />;
  return (
    <span className="flex min-w-0 items-center gap-1">
      <span className="min-w-0 truncate font-mono text-[12px]" title={value}>
        {value}
      </span>
      <CopyButton value={value} label={label} />
    </span>
  );
}
