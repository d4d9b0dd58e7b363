import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { triageForRun, triageHistory, writeTriage, type TriageState } from '@/db/queries/triage';
import { TRIAGE_DECISIONS, TRIAGE_LABELS, triageNoteProblem } from '@/domain/triage';
import { identityOf } from '@/server/auth/identity';
import { decide } from '@/server/auth/principal';
import { sha256Input } from '../inputs';
import { runScoped } from '../run-procedure';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

const noteInput = z.string().superRefine((note, ctx) => {
  const problem = triageNoteProblem(note);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The log id the editor saw (null: it saw no decision). Omitted: save whatever is current. */
const basedOnInput = z.number().int().nonnegative().nullable().optional();

function describe(s: TriageState | null): string {
  return s ? `${TRIAGE_LABELS[s.decision]} by ${s.decidedBy} at ${s.decidedAt.toISOString()}` : 'no decision';
}

/** A write's outcome as the caller sees it: the new state, or a sentence saying why not. */
function settled(result: Awaited<ReturnType<typeof writeTriage>>, sha256: string): TriageState | null {
  if (result.ok) return result.state;
  if (result.reason === 'unknown-hash')
    throw new TRPCError({ code: 'NOT_FOUND', message: `No run has an executable with SHA-256 ${sha256}.` });
  throw new TRPCError({
    code: 'CONFLICT',
    message: `Someone changed this decision while you were editing it: it is now ${describe(result.current)}. Review it and save again.`,
  });
}

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
      const who = identityOf(ctx.who);
      const result = await writeTriage(await ctx.db(), {
        sha256: input.sha256,
        decision: input.decision,
        note: input.note,
        decidedBy: who.label,
        decidedById: who.id,
        basedOn: input.basedOn,
      });
      return settled(result, input.sha256);
    }),

  clear: analystProcedure.input(sha256Input.extend({ basedOn: basedOnInput })).mutation(async ({ ctx, input }) => {
    const who = identityOf(ctx.who);
    const result = await writeTriage(await ctx.db(), {
      sha256: input.sha256,
      decision: null,
      note: '',
      decidedBy: who.label,
      decidedById: who.id,
      basedOn: input.basedOn,
    });
    settled(result, input.sha256);
    return null;
  }),
});
