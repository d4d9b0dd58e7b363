import { Badge, type BadgeTone } from '../../ui/badge';

/** Why a process's executable was not hashed normally; `ok` shows nothing. */
const STATUS: Record<string, { label: string; tone: BadgeTone; hint: string }> = {
  deleted: {
    label: 'deleted',
    tone: 'danger',
    hint: 'The file was deleted or replaced while running; hashed through /proc/PID/exe.',
  },
  memfd: { label: 'memfd', tone: 'danger', hint: 'Runs from an anonymous memory file; hashed through /proc/PID/exe.' },
  'kernel-thread': { label: 'kernel thread', tone: 'neutral', hint: 'A kernel thread has no executable.' },
  'permission-denied': {
    label: 'permission denied',
    tone: 'warn',
    hint: 'The executable link could not be read by this user.',
  },
  'too-large': { label: 'too large', tone: 'warn', hint: 'Bigger than the hashing size limit; not hashed.' },
  unreadable: { label: 'unreadable', tone: 'warn', hint: 'The file could not be read.' },
  unknown: { label: 'unknown', tone: 'neutral', hint: 'The platform gives no trustworthy executable path.' },
};

export function exeStatusLabel(status: string): string {
  return status === 'ok' ? 'ok' : (STATUS[status]?.label ?? status);
}

export function ExeStatusBadge({ status, error }: { status: string; error: string | null }) {
  if (status === 'ok') return null;
  const s = STATUS[status] ?? { label: status, tone: 'neutral' as const, hint: '' };
  return (
    <Badge tone={s.tone} title={error ?? s.hint} className="shrink-0 px-1 py-0 text-[11px]">
      {s.label}
    </Badge>
  );
}
