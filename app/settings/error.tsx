'use client';

import { RotateCcw } from 'lucide-react';
import { Button } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';

export default function SettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card role="alert" className="mx-auto flex max-w-xl flex-col items-start gap-3 p-6">
      <h1 className="text-lg font-semibold">Could not show the settings</h1>
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
