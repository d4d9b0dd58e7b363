import { Card } from '@/app/_components/ui/card';
import { TableSkeleton } from '@/app/_components/ui/skeleton';
import { RunHeaderSkeleton } from './run-skeleton';

export default function RunLoading() {
  return (
    <div className="space-y-4">
      <RunHeaderSkeleton />
      <Card>
        <TableSkeleton rows={12} />
      </Card>
    </div>
  );
}
