import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import { Skeleton } from '@/app/_components/ui/skeleton';

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
