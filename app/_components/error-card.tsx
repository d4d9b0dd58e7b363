'use client';

import { RotateCcw } from 'lucide-react';
import { cn } from './ui/cn';
import { Button } from './ui/button';
import { Card } from './ui/card';

/**
 * Something could not be loaded: what went wrong, as a sentence, and a "Try again" button. Pages
 * show it as a card (`inline` false), panels and expanded rows inside their own frame (`inline`).
 * With a `title` (route error boundaries) the message is the quieter detail under it.
 */
export function ErrorCard({
  title,
  message,
  onRetry,
  inline = false,
  className,
}: {
  title?: string;
  message: string;
  onRetry: () => void;
  inline?: boolean;
  className?: string;
}) {
  const body = (
    <>
      {title && <h1 className="text-lg font-semibold">{title}</h1>}
      <p className={cn('text-sm', title ? 'text-muted' : 'text-danger')}>{message}</p>
      <Button size="sm" onClick={onRetry}>
        <RotateCcw aria-hidden />
        Try again
      </Button>
    </>
  );
  if (inline) {
    return (
      <div role="alert" className={cn('flex flex-col items-start gap-2', className)}>
        {body}
      </div>
    );
  }
  return (
    <Card role="alert" className={cn('flex flex-col items-start gap-3 p-6', className)}>
      {body}
    </Card>
  );
}
