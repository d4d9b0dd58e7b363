'use client';

import { PageError, type ErrorBoundaryProps } from '@/app/_components/page-error';

export default function RunError(props: ErrorBoundaryProps) {
  return <PageError title="Could not show this run" {...props} />;
}
