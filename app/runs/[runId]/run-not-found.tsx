import { ArrowLeft, FileX } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';

/** Shared by not-found.tsx (bad id in the URL) and the view (the server says NOT_FOUND). */
export function RunNotFound({ runId }: { runId?: number }) {
  return (
    <Card className="mx-auto flex max-w-xl flex-col items-start gap-3 p-6">
      <FileX className="size-6 text-muted" aria-hidden />
      <h1 className="text-lg font-semibold">Run not found</h1>
      <p className="text-sm text-muted">
        {runId === undefined
          ? 'Run ids are positive whole numbers.'
          : `There is no run ${runId}. It may have been deleted, or the link is wrong.`}
      </p>
      <Button asChild size="sm">
        <Link href="/runs">
          <ArrowLeft aria-hidden />
          Back to runs
        </Link>
      </Button>
    </Card>
  );
}
