import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getRun } from '@/db/queries/runs';
import { verdictsFor } from '@/db/queries/vt';
import { runLookupOrder } from '@/db/queries/vt-plan';
import {
  cancelCheck,
  clearAuthPause,
  getVtSettings,
  liftDailyPauseIfAllowed,
  loadCheckPlan,
  publicVtSettings,
  quotaStatus,
  retryFailed,
  runCheckStatus,
  startRunCheck,
  storeApiKey,
  updateVtSettings,
  VtNotConfiguredError,
} from '@/server/services/virustotal';
import { createTRPCRouter, publicProcedure } from '../trpc';
import { runIdInput } from './runs';

async function requireRun(db: Parameters<typeof getRun>[0], runId: number) {
  const run = await getRun(db, runId);
  if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${runId} does not exist.` });
  if (run.status !== 'completed') throw new TRPCError({ code: 'CONFLICT', message: `Run ${runId} has not completed; it has no hashes to check yet.` });
  return run;
}

const apiKeyInput = z
  .string()
  .trim()
  .min(8, 'That is too short to be a VirusTotal API key.')
  .max(256, 'That is too long to be a VirusTotal API key.')
  .regex(/^[\x21-\x7e]+$/, 'An API key has no spaces or special characters.');

export const vtRouter = createTRPCRouter({
  settings: publicProcedure.query(async ({ ctx }) => publicVtSettings(await getVtSettings(await ctx.db()))),

  updateSettings: publicProcedure
    .input(
      z.object({
        requestsPerMinute: z.number().int().min(1).max(100_000).optional(),
        requestsPerDay: z.number().int().min(1).max(100_000_000).optional(),
        maliciousThreshold: z.number().int().min(1).max(1000).optional(),
        cacheTtlDays: z.number().min(0).max(3650).optional(),
        notFoundTtlHours: z.number().min(0).max(87_600).optional(),
        skipPackageVerified: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      await updateVtSettings(db, input);
      const s = await getVtSettings(db);
      await liftDailyPauseIfAllowed(db, s.requestsPerDay);
      return publicVtSettings(s);
    }),

  /** The key goes in and never comes back out: the answer carries only its last four characters. */
  setApiKey: publicProcedure.input(z.object({ apiKey: apiKeyInput })).mutation(async ({ ctx, input }) => {
    const db = await ctx.db();
    await storeApiKey(db, input.apiKey);
    await clearAuthPause(db);
    return publicVtSettings(await getVtSettings(db));
  }),

  removeApiKey: publicProcedure.mutation(async ({ ctx }) => {
    const db = await ctx.db();
    await storeApiKey(db, null);
    return publicVtSettings(await getVtSettings(db));
  }),

  quota: publicProcedure.query(async ({ ctx }) => {
    const db = await ctx.db();
    const s = await getVtSettings(db);
    return quotaStatus(db, { perMinute: s.requestsPerMinute, perDay: s.requestsPerDay });
  }),

  check: publicProcedure
    .input(runIdInput.extend({ force: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      await requireRun(db, input.runId);
      try {
        return await startRunCheck(db, input.runId, { force: input.force });
      } catch (e) {
        if (e instanceof VtNotConfiguredError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: e.message });
        throw e;
      }
    }),

  cancel: publicProcedure.input(runIdInput).mutation(async ({ ctx, input }) => ({ cancelled: await cancelCheck(await ctx.db(), input.runId) })),

  retryFailed: publicProcedure.input(runIdInput).mutation(async ({ ctx, input }) => {
    const db = await ctx.db();
    await requireRun(db, input.runId);
    return { requeued: await retryFailed(db, input.runId) };
  }),

  status: publicProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    if (!(await getRun(db, input.runId))) throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${input.runId} does not exist.` });
    return runCheckStatus(db, input.runId);
  }),

  /** The quota planner: what checking the run would cost right now, before it starts. */
  plan: publicProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    await requireRun(db, input.runId);
    return loadCheckPlan(db, input.runId);
  }),

  /** The run's hashes waiting for a lookup, in the order the queue serves them, with its reasons. */
  lookupOrder: publicProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    await requireRun(db, input.runId);
    return runLookupOrder(db, input.runId, 50);
  }),

  /** Per-engine results of one hash (the hash view's expanded row). */
  engines: publicProcedure
    .input(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits') }))
    .query(async ({ ctx, input }) => {
      const [v] = await verdictsFor(await ctx.db(), [input.sha256]);
      return v?.engines ?? [];
    }),
});
