import 'server-only';
import { z } from 'zod';
import { fleetHosts, hashUsage, newVsKnownTimeline, prevalence } from '@/server/services/fleet';
import { createTRPCRouter, viewerProcedure } from '../trpc';

export const fleetRouter = createTRPCRouter({
  /** Every host: last seen, agent version, processes, malicious / needs-research counts. */
  hosts: viewerProcedure.query(async ({ ctx }) => fleetHosts(await ctx.db())),

  /** One row per distinct executable across the fleet; fewest hosts first by default. */
  prevalence: viewerProcedure
    .input(
      z
        .object({
          sort: z.enum(['hosts', 'vtScore']).default('hosts'),
          maxHosts: z.number().int().min(1).max(1_000_000).optional(),
          /** Only what ran in the last N days; omitted means all time. */
          windowDays: z.number().int().min(1).max(3650).optional(),
          limit: z.number().int().min(1).max(10_000).default(2_000),
          /** Only "untriaged with VTScore ≥ 1". */
          untriaged: z.boolean().optional(),
        })
        .default({ sort: 'hosts', limit: 2_000 }),
    )
    .query(async ({ ctx, input }) =>
      prevalence(await ctx.db(), {
        sort: input.sort,
        maxHosts: input.maxHosts,
        since: input.windowDays ? new Date(Date.now() - input.windowDays * 86_400_000) : null,
        limit: input.limit,
        untriaged: input.untriaged,
      }),
    ),

  /** Executables seen per day across the fleet's runs: new (first time anywhere) vs known. */
  newVsKnown: viewerProcedure
    .input(z.object({ days: z.number().int().min(1).max(365).default(30) }).default({ days: 30 }))
    .query(async ({ ctx, input }) => newVsKnownTimeline(await ctx.db(), input.days)),

  /** The hosts and processes that ran one executable. */
  hash: viewerProcedure
    .input(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits') }))
    .query(async ({ ctx, input }) => hashUsage(await ctx.db(), input.sha256)),
});
