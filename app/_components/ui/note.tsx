import { CircleCheck, TriangleAlert } from 'lucide-react';
import type { HTMLAttributes } from 'react';
import { cn } from './cn';

const TONE = {
  ok: { Icon: CircleCheck, className: 'text-ok' },
  warn: { Icon: TriangleAlert, className: 'text-warn' },
};

/**
 * A one-line note led by its icon: `ok` for "Settings saved." (give it role="status"), `warn` for a
 * caution (role="alert" when it must be announced). `small` for notes under a form's fields.
 */
export function Note({
  tone,
  small = false,
  className,
  children,
  ...props
}: HTMLAttributes<HTMLParagraphElement> & { tone: keyof typeof TONE; small?: boolean }) {
  const { Icon, className: toneClass } = TONE[tone];
  return (
    <p className={cn('flex items-center gap-1.5', small ? 'text-xs' : 'text-sm', toneClass, className)} {...props}>
      <Icon className={small ? 'size-3.5 shrink-0' : 'size-4 shrink-0'} aria-hidden />
      {children}
    </p>
  );
}
