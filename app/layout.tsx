import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ShieldCheck } from 'lucide-react';
import { NavLink } from './_components/nav-link';
import { ThemeToggle } from './_components/theme-toggle';
import { TRPCReactProvider } from './_trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ProcLens', template: '%s · ProcLens' },
  description: 'Is anything running on my machines known-bad? Collect processes, hash executables, check them.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The gate (proxy.ts) puts this request's CSP nonce here; Next adds it to its own scripts.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* eslint-disable-next-line @next/next/no-sync-scripts -- must run before paint to pick the theme */}
        <script src="/theme.js" nonce={nonce} />
      </head>
      <body className="min-h-screen">
        <TRPCReactProvider>
          <header className="sticky top-0 z-20 border-b border-border bg-surface/95 backdrop-blur">
            <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-2 px-4 sm:gap-4">
              <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
                <ShieldCheck className="size-5 text-accent" aria-hidden />
                ProcLens
              </Link>
              <nav aria-label="Main" className="flex items-center gap-1">
                <NavLink href="/">Dashboard</NavLink>
                <NavLink href="/runs">Runs</NavLink>
                <NavLink href="/settings">Settings</NavLink>
              </nav>
              <div className="ml-auto">
                <ThemeToggle />
              </div>
            </div>
          </header>
          <main className="mx-auto max-w-[1600px] px-4 py-6">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
