'use client';

import { Button } from './_components/ui/button';
import { Card } from './_components/ui/card';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card role="alert" className="mx-auto max-w-xl space-y-3 p-6">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="text-sm text-muted">{error.digest ? `The server logged this error (${error.digest}).` : error.message}</p>
      <Button onClick={reset}>Try again</Button>
    </Card>
  );
}
