'use client';

import { useState, type FormEvent } from 'react';
import { safeNext } from '@/domain/safe-next';
import { Button } from '../_components/ui/button';
import { Card } from '../_components/ui/card';

/** `next`: the page's `next` param (sign-in-params.ts), read by the server. */
export function SignInForm({ next }: { next: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string; error?: { message?: string } };
        setError(
          res.status === 401
            ? 'Wrong email or password.'
            : (body.message ?? body.error?.message ?? `Sign-in failed (${res.status}).`),
        );
        return;
      }
      // A full load, not a client-side navigation: pages the router fetched (or prefetched) while
      // signed out are the server's redirects to here, and must not be reused. The same rule as the
      // server's redirect: a path on this origin, or the dashboard.
      window.location.replace(safeNext(next, window.location.origin));
    } catch {
      setError('The server did not answer. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="p-5">
      <form onSubmit={onSubmit} className="space-y-3">
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Email</span>
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            className="w-full rounded-md border border-border bg-surface px-2.5 py-1.5"
          />
        </label>
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="w-full rounded-md border border-border bg-surface px-2.5 py-1.5"
          />
        </label>
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={busy} className="w-full">
          Sign in
        </Button>
      </form>
      <p className="mt-3 text-xs text-muted">
        No account? An admin creates one: <code>npx proclens admin create-user</code>.
      </p>
    </Card>
  );
}
