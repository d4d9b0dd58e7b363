'use client';

import { ErrorCard } from './error-card';

export interface ErrorBoundaryProps {
  error: Error & { digest?: string };
  reset: () => void;
}

/** What every route's error boundary shows: a title, what the server logged, and a retry. */
export function PageError({ title, error, reset }: ErrorBoundaryProps & { title: string }) {
  return (
    <ErrorCard
      className="mx-auto max-w-xl"
      title={title}
      message={
        error.digest ? `The server logged this error (${error.digest}).` : error.message || 'Something went wrong.'
      }
      onRetry={reset}
    />
  );
}
