import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MAX_RUN_ID } from '@/domain/run-id';
import { DIFF_AGAINST_PROBLEM } from '@/domain/run-diff';
import type { Principal } from '@/server/auth/principal';
import { diffCandidates, loadRunDiff, pinBaseline, RunDiffError, unpinBaseline } from '@/server/services/diff';
import { runScoped } from '../run-procedure';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

/** `previous` (the default), `baseline`, or a run id. */
const againstInput = z
  .union([z.literal('previous'), z.literal('baseline'), z.number().int().positive().max(MAX_RUN_ID)], {
    error: DIFF_AGAINST_PROBLEM,
  })
  .default('previous');

const TRPC_CODE = { 'not-found': 'NOT_FOUND', conflict: 'CONFLICT', 'bad-request': 'BAD_REQUEST' } as const;

/** A service's sentence becomes the caller's; anything else stays an internal error. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof RunDiffError) throw new TRPCError({ code: TRPC_CODE[e.reason], message: e.message });
    throw e;
  }
}

function whoPinned(who: Principal): string | null {
  if (who.kind === 'user') return who.user.email;
  if (who.kind === 'local') return 'local';
  return null;
}

export const diffRouter = createTRPCRouter({
  /** What differs between the run and the one it is compared with, at the executable level. */
  compare: viewerProcedure
    .concat(runScoped)
    .input(z.object({ against: againstInput }))
    .query(async ({ ctx, input }) => answer(async () => loadRunDiff(await ctx.db(), ctx.run.id, input.against))),

  /** The host's runs the picker offers, newest first, with the pinned baseline flagged. */
  candidates: viewerProcedure.concat(runScoped).query(async ({ ctx }) => diffCandidates(await ctx.db(), ctx.run)),

  pinBaseline: analystProcedure
    .concat(runScoped)
    .mutation(async ({ ctx }) => answer(async () => pinBaseline(await ctx.db(), ctx.run.id, whoPinned(ctx.who)))),

  unpinBaseline: analystProcedure
    .concat(runScoped)
    .mutation(async ({ ctx }) => ({ unpinned: await unpinBaseline(await ctx.db(), ctx.run) })),
});
