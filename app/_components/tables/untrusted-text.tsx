import { cn } from '../ui/cn';
import { escapeForDisplay, toDisplaySegments } from './display-text';

/**
 * Untrusted text (process names, users, paths, command lines) as React text only, with control
 * characters, bidi overrides and zero-width characters shown as muted escapes, and isolated so
 * right-to-left text cannot reorder what sits around it. The full (escaped) value is the tooltip.
 */
export function UntrustedText({
  value,
  className,
  title = true,
}: {
  value: string;
  className?: string;
  title?: boolean;
}) {
  const segments = toDisplaySegments(value);
  return (
    <span
      dir="ltr"
      className={cn('[unicode-bidi:isolate]', className)}
      title={title ? escapeForDisplay(value) : undefined}
    >
      {segments.map((s, i) =>
        s.escaped ? (
          <span key={i} className="font-mono text-muted">
            {s.text}
          </span>
        ) : (
          s.text
        ),
      )}
    </span>
  );
}

/**
 * A path clipped from the left, so the file name stays visible: the outer box is right-to-left
 * only to move the ellipsis to the start; the path itself is an isolated left-to-right run.
 */
export function PathText({ value, className }: { value: string; className?: string }) {
  return (
    <span dir="rtl" className={cn('block min-w-0 truncate text-left', className)} title={escapeForDisplay(value)}>
      <UntrustedText value={value} title={false} />
    </span>
  );
}

/** The placeholder for a value the row does not have (a kernel thread's executable, its hashes). */
export function Missing() {
  return <span className="text-muted">—</span>;
}

/** The first of several paths, clipped like PathText, then "+N" (`more` after it) with the rest as tooltip. */
export function PathList({ paths, more = '' }: { paths: readonly string[]; more?: string }) {
  const [first] = paths;
  if (!first) return <Missing />;
  return (
    <span className="flex min-w-0 items-center gap-1.5">
      <PathText value={first} className="flex-1" />
      {paths.length > 1 && (
        <span className="shrink-0 text-xs text-muted" title={paths.slice(1).join('\n')}>
          +{paths.length - 1}
          {more}
        </span>
      )}
    </span>
  );
}
