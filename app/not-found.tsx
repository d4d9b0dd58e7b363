import Link from 'next/link';
import { Card } from './_components/ui/card';

export default function NotFound() {
  return (
    <Card className="mx-auto max-w-xl space-y-3 p-6">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="text-sm text-muted">There is nothing at this address.</p>
      <Link href="/" className="text-sm font-medium text-accent hover:underline">
        Back to the dashboard
      </Link>
    </Card>
  );
}
