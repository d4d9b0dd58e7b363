'use client';

import { RotateCcw } from 'lucide-react';
import { Button } from './ui/button';
import { Card } from './ui/card';

export interface ErrorBoundaryProps {
  error: Error & { digest?: string };
  reset: () => void;
}

/** What every route's error boundary shows: a title, what the server logged, and a retry. */
export function PageError({ title, error, reset }: ErrorBoundaryProps & { title: string }) {
  return (
    <Card role="alert" className="mx-auto flex max-w-xl flex-col items-start gap-3 p-6">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="text-sm text-muted">
        {error.digest ? `The server logged this error (${error.digest}).` : error.message || 'Something went wrong.'}
      </p>
      <Button size="sm" onClick={reset}>
        <RotateCcw aria-hidden />
        Try again
      </Button>
    </Card>
  );
}
