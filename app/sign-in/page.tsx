import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function SignInPage() {
  return (
    <div className="mx-auto max-w-sm space-y-4 pt-10">
      <h1 className="text-xl font-semibold tracking-tight">Sign in to ProcLens</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
    </div>
  );
}
