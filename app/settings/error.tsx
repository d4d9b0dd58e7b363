'use client';

import { PageError, type ErrorBoundaryProps } from '@/app/_components/page-error';

export default function SettingsError(props: ErrorBoundaryProps) {
  return <PageError title="Could not show the settings" {...props} />;
}
