import { CircleAlert, CircleCheck, LoaderCircle } from 'lucide-react';
import type { RunStatus } from '@/domain/runs';
import { Badge } from './ui/badge';

/** Status with an icon and a word, so it reads without colour. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  if (status === 'running')
    return (
      <Badge tone="info">
        <LoaderCircle className="animate-spin" aria-hidden /> Running
      </Badge>
    );
  if (status === 'failed')
    return (
      <Badge tone="danger">
        <CircleAlert aria-hidden /> Failed
      </Badge>
    );
  return (
    <Badge tone="ok">
      <CircleCheck aria-hidden /> Completed
    </Badge>
  );
}
