import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Card } from '../_components/ui/card';
import { TableSkeleton } from '../_components/ui/skeleton';
import { PrevalenceView } from './prevalence-view';

export const metadata: Metadata = { title: 'Prevalence' };

export default function PrevalencePage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Prevalence</h1>
        <p className="text-sm text-muted">
          One row per executable across every host. The rare ones — on one or two hosts — come first: they are the ones
          to look at.
        </p>
      </div>
      <Suspense
        fallback={
          <Card>
            <TableSkeleton />
          </Card>
        }
      >
        <PrevalenceView />
      </Suspense>
    </div>
  );
}
