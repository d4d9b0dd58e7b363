import 'server-only';
import { z } from 'zod';
import { MAX_RUN_ID } from '@/domain/run-id';
import { DIFF_AGAINST_PROBLEM } from '@/domain/run-diff';
import { actorOf } from '@/server/auth/actor';
import { diffCandidates, loadRunDiff, pinBaseline, unpinBaseline } from '@/server/services/diff';
import { runScoped } from '../run-procedure';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

/** `previous` (the default), `baseline`, or a run id. */
const againstInput = z
  .union([z.literal('previous'), z.literal('baseline'), z.number().int().positive().max(MAX_RUN_ID)], {
    error: DIFF_AGAINST_PROBLEM,
  })
  .default('previous');

export const diffRouter = createTRPCRouter({
  /** What differs between the run and the one it is compared with, at the executable level. */
  compare: viewerProcedure
    .concat(runScoped)
    .input(z.object({ against: againstInput }))
    .query(async ({ ctx, input }) => loadRunDiff(await ctx.db(), ctx.run.id, input.against)),

  /** The host's runs the picker offers, newest first, with the pinned baseline flagged. */
  candidates: viewerProcedure.concat(runScoped).query(async ({ ctx }) => diffCandidates(await ctx.db(), ctx.run)),

  pinBaseline: analystProcedure
    .concat(runScoped)
    .mutation(async ({ ctx }) => pinBaseline(await ctx.db(), ctx.run.id, actorOf(ctx.who).label)),

  unpinBaseline: analystProcedure
    .concat(runScoped)
    .mutation(async ({ ctx }) => ({ unpinned: await unpinBaseline(await ctx.db(), ctx.run) })),
});
