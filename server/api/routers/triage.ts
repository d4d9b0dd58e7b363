import 'server-only';
import { z } from 'zod';
import { triageForRun, triageHistory } from '@/db/queries/triage';
import { TRIAGE_DECISIONS, triageNoteProblem } from '@/domain/triage';
import { actorOf } from '@/server/auth/actor';
import { decide } from '@/server/auth/principal';
import { saveTriage } from '@/server/services/triage';
import { sha256Input } from '../inputs';
import { runScoped } from '../run-procedure';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

const noteInput = z.string().superRefine((note, ctx) => {
  const problem = triageNoteProblem(note);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The log id the editor saw (null: it saw no decision). Omitted: save whatever is current. */
const basedOnInput = z.number().int().nonnegative().nullable().optional();

export const triageRouter = createTRPCRouter({
  /**
   * The decisions in force for a run's executables, and whether the caller may change them (the UI
   * hides the controls from viewers; the mutations refuse them anyway).
   */
  forRun: viewerProcedure.concat(runScoped).query(async ({ ctx, input }) => ({
    canEdit: decide(ctx.who, 'analyst') === 'ok',
    decisions: await triageForRun(await ctx.db(), input.runId),
  })),

  /** Every change to one hash's decision, newest first. */
  history: viewerProcedure
    .input(sha256Input)
    .query(async ({ ctx, input }) => triageHistory(await ctx.db(), input.sha256)),

  set: analystProcedure
    .input(
      sha256Input.extend({
        decision: z.enum(TRIAGE_DECISIONS, {
          error: `decision must be one of ${TRIAGE_DECISIONS.join(', ')}`,
        }),
        note: noteInput.default(''),
        basedOn: basedOnInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const who = actorOf(ctx.who);
      return saveTriage(await ctx.db(), {
        sha256: input.sha256,
        decision: input.decision,
        note: input.note,
        decidedBy: who.label,
        decidedById: who.userId,
        basedOn: input.basedOn,
      });
    }),

  clear: analystProcedure.input(sha256Input.extend({ basedOn: basedOnInput })).mutation(async ({ ctx, input }) => {
    const who = actorOf(ctx.who);
    await saveTriage(await ctx.db(), {
      sha256: input.sha256,
      decision: null,
      note: '',
      decidedBy: who.label,
      decidedById: who.userId,
      basedOn: input.basedOn,
    });
    return null;
  }),
});
