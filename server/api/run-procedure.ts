import 'server-only';
import { ProcLensError } from '@/domain/errors';
import { getRun } from '@/db/queries/runs';
import { runIdInput } from './inputs';
import { procedureFragment } from './trpc';

/**
 * "The run exists, or not-found", written once: a run-id input and a middleware that loads the run
 * into `ctx.run`. It composes under any role's builder (`someRoleProcedure.concat(runScoped)`), so a
 * role check runs first and the run is loaded only for a caller allowed to see it.
 */
export const runScoped = procedureFragment.input(runIdInput).use(async ({ ctx, input, next }) => {
  const run = await getRun(await ctx.db(), input.runId);
  if (!run) throw new ProcLensError('not-found', `Run ${input.runId} does not exist.`);
  return next({ ctx: { run } });
});

/** A run that must have finished collecting (it has hashes to check), else a conflict. */
export const completedRunScoped = runScoped.use(async ({ ctx, next }) => {
  if (ctx.run.status !== 'completed') {
    throw new ProcLensError('conflict', `Run ${ctx.run.id} has not completed; it has no hashes to check yet.`);
  }
  return next();
});
