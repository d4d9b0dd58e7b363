import type { Metadata } from 'next';
import { readParam, toSearchString, type SearchParamsRecord } from '../_components/url/url-params';
import { SignInForm } from './sign-in-form';
import { signInParams } from './sign-in-params';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const next = readParam(signInParams.next, toSearchString(await searchParams));
  return (
    <div className="mx-auto max-w-sm space-y-4 pt-10">
      <h1 className="text-xl font-semibold tracking-tight">Sign in to ProcLens</h1>
      <SignInForm next={next} />
    </div>
  );
}
