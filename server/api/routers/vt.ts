import 'server-only';
import { z } from 'zod';
import { verdictsFor } from '@/db/queries/vt';
import { runLookupOrder } from '@/db/queries/vt-plan';
import {
  cancelCheck,
  changeVtSettings,
  clearAuthPause,
  getVtSettings,
  loadCheckPlan,
  publicVtSettings,
  quotaStatus,
  retryFailed,
  runCheckStatus,
  startRunCheck,
  storeApiKey,
} from '@/server/services/virustotal';
import { apiKeyInput, sha256Input, vtSettingsInput } from '../inputs';
import { completedRunScoped, runScoped } from '../run-procedure';
import { adminProcedure, analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

export const vtRouter = createTRPCRouter({
  settings: viewerProcedure.query(async ({ ctx }) => publicVtSettings(await getVtSettings(await ctx.db()))),

  updateSettings: adminProcedure
    .input(vtSettingsInput.extend({ skipPackageVerified: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      return publicVtSettings(await changeVtSettings(await ctx.db(), input));
    }),

  /** The key goes in and never comes back out: the answer carries only its last four characters. */
  setApiKey: adminProcedure.input(z.object({ apiKey: apiKeyInput })).mutation(async ({ ctx, input }) => {
    const db = await ctx.db();
    await storeApiKey(db, input.apiKey);
    await clearAuthPause(db);
    return publicVtSettings(await getVtSettings(db));
  }),

  removeApiKey: adminProcedure.mutation(async ({ ctx }) => {
    const db = await ctx.db();
    await storeApiKey(db, null);
    return publicVtSettings(await getVtSettings(db));
  }),

  quota: viewerProcedure.query(async ({ ctx }) => {
    const db = await ctx.db();
    const s = await getVtSettings(db);
    return quotaStatus(db, { perMinute: s.requestsPerMinute, perDay: s.requestsPerDay });
  }),

  check: analystProcedure
    .concat(completedRunScoped)
    .input(z.object({ force: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => startRunCheck(await ctx.db(), input.runId, { force: input.force })),

  cancel: analystProcedure
    .concat(runScoped)
    .mutation(async ({ ctx, input }) => ({ cancelled: await cancelCheck(await ctx.db(), input.runId) })),

  retryFailed: analystProcedure.concat(completedRunScoped).mutation(async ({ ctx, input }) => ({
    requeued: await retryFailed(await ctx.db(), input.runId),
  })),

  status: viewerProcedure
    .concat(runScoped)
    .query(async ({ ctx, input }) => runCheckStatus(await ctx.db(), input.runId)),

  /** The quota planner: what checking the run would cost right now, before it starts. */
  plan: viewerProcedure
    .concat(completedRunScoped)
    .query(async ({ ctx, input }) => loadCheckPlan(await ctx.db(), input.runId)),

  /** The run's hashes waiting for a lookup, in the order the queue serves them, with its reasons. */
  lookupOrder: viewerProcedure
    .concat(runScoped)
    .query(async ({ ctx, input }) => runLookupOrder(await ctx.db(), input.runId, 50)),

  /** Per-engine results of one hash (the hash view's expanded row). */
  engines: viewerProcedure.input(sha256Input).query(async ({ ctx, input }) => {
    const [v] = await verdictsFor(await ctx.db(), [input.sha256]);
    return v?.engines ?? [];
  }),
});
