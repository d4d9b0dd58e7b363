import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunHistory } from './run-history';

export const metadata: Metadata = { title: 'Runs' };

export default function RunsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Runs</h1>
        <p className="text-sm text-muted">Every snapshot taken, newest first.</p>
      </div>
      <Suspense>
        <RunHistory />
      </Suspense>
    </div>
  );
}
