'use client';

import { PageError, type ErrorBoundaryProps } from '@/app/_components/page-error';

export default function ErrorPage(props: ErrorBoundaryProps) {
  return <PageError title="Something went wrong" {...props} />;
}
