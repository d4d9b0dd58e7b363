'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LogOut } from 'lucide-react';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useTRPC } from '../_trpc/client';
import { signInHref } from '../sign-in/sign-in-params';
import { NavLink } from './nav-link';
import { Button } from './ui/button';

/**
 * Hosted mode: who is signed in, and Sign out. Without a session every page sends the person to
 * /sign-in (the server refuses their requests anyway; this only saves them a page of errors).
 */
export function AccountMenu() {
  const trpc = useTRPC();
  const router = useRouter();
  const path = usePathname();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.system.me.queryOptions());
  const [busy, setBusy] = useState(false);
  const signedOut = me.data?.mode === 'hosted' && me.data.user === null;

  useEffect(() => {
    if (signedOut && path !== '/sign-in') router.replace(signInHref(path));
  }, [signedOut, path, router]);

  if (!me.data || me.data.mode === 'local' || !me.data.user) return null;
  const { user } = me.data;

  async function signOut() {
    setBusy(true);
    try {
      await fetch('/api/auth/sign-out', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    } finally {
      queryClient.clear();
      router.replace('/sign-in');
      setBusy(false);
    }
  }

  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="hidden text-muted sm:inline" data-testid="signed-in-as">
        Signed in as <span className="font-medium text-fg">{user.email}</span> ({user.role ?? 'no role'})
      </span>
      <Button size="sm" variant="ghost" onClick={signOut} disabled={busy}>
        <LogOut aria-hidden />
        Sign out
      </Button>
    </div>
  );
}

/** The Tokens page is for admins (and the one local user); others would only see a refusal. */
export function AdminNavLinks() {
  const trpc = useTRPC();
  const me = useQuery(trpc.system.me.queryOptions());
  if (!me.data || (me.data.mode === 'hosted' && me.data.user?.role !== 'admin')) return null;
  return <NavLink href="/tokens">Tokens</NavLink>;
}
