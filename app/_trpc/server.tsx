import 'server-only';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { appRouter } from '@/server/api/root';
import { createCallerFactory, createContext } from '@/server/api/trpc';
import { makeQueryClient } from './query-client';

/**
 * The server side of tRPC for pages: procedures called in-process (no HTTP), their results put
 * into a per-request query client and handed to the browser's cache by <HydrateClient>, so a page's
 * first screen arrives with its data instead of asking for it after the JavaScript has loaded.
 */
export const getQueryClient = cache(makeQueryClient);

const createRscContext = cache(async () => createContext({ headers: new Headers(await headers()) }));

export const trpc = createTRPCOptionsProxy({ ctx: createRscContext, router: appRouter, queryClient: getQueryClient });

/** Procedures called in-process for data a page uses on the server only (not sent to the browser). */
export const serverCaller = createCallerFactory(appRouter)(createRscContext);

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
