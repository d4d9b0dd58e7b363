import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import { Skeleton, TableSkeleton } from '@/app/_components/ui/skeleton';

export function RunHeaderSkeleton() {
  return (
    <Card>
      <CardHeader>
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-7 w-36" />
      </CardHeader>
      <CardBody className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-8">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="space-y-1.5">
            <Skeleton className="h-3 w-16" />
            <Skeleton className="h-4 w-24" />
          </div>
        ))}
      </CardBody>
    </Card>
  );
}

/** A table's place while its rows load. */
export function TableCardSkeleton() {
  return (
    <Card>
      <TableSkeleton rows={12} />
    </Card>
  );
}

/** The whole run page while the run itself loads (route loading state and client fetch alike). */
export function RunPageSkeleton() {
  return (
    <div className="space-y-4">
      <RunHeaderSkeleton />
      <TableCardSkeleton />
    </div>
  );
}
