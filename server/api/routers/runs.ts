import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getRun, getRunExecutables, getRunProcesses, listRuns } from '@/db/queries/runs';
import { collectionProgress, startCollection } from '@/server/services/runs';
import { getVtSettings, vtGuiLink } from '@/server/services/virustotal';
import { vtStateOf, type VtRowFields } from '@/server/services/virustotal/vt-state';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

export const runIdInput = z.object({
  runId: z.coerce.number().int('run id must be a whole number').positive().max(2_147_483_647),
});

/** Replaces the raw VirusTotal columns with the decided state (the verdict rule lives server-side). */
function withVt<T extends VtRowFields>(row: T, threshold: number) {
  const { vtFound: _f, vtScore: _s, vtTotalEngines: _t, vtThreatLabel: _l, vtJobStatus: _j, vtJobError: _e, ...rest } = row;
  return { ...rest, vt: vtStateOf(row, threshold) };
}

async function requireRun(db: Parameters<typeof getRun>[0], runId: number) {
  const run = await getRun(db, runId);
  if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${runId} does not exist.` });
  return run;
}

export const runsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          beforeId: z.number().int().positive().optional(),
          /** Only this host's runs (its name or key). */
          host: z.string().trim().min(1).max(256).optional(),
        })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => listRuns(await ctx.db(), input)),

  latest: viewerProcedure.query(async ({ ctx }) => {
    const [run] = await listRuns(await ctx.db(), { limit: 1 });
    return run ? { ...run, progress: collectionProgress(run.id) } : null;
  }),

  byId: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const run = await requireRun(await ctx.db(), input.runId);
    return { ...run, progress: collectionProgress(run.id) };
  }),

  processes: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    await requireRun(db, input.runId);
    const [rows, vt] = await Promise.all([getRunProcesses(db, input.runId), getVtSettings(db)]);
    return rows.map((r) => withVt(r, vt.maliciousThreshold));
  }),

  /** One row per distinct executable; VTScore descending is the UI's default order. */
  executables: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    await requireRun(db, input.runId);
    const [rows, vt] = await Promise.all([getRunExecutables(db, input.runId), getVtSettings(db)]);
    return rows.map((r) => ({ ...withVt(r, vt.maliciousThreshold), vtLink: vtGuiLink(r.sha256) }));
  }),

  collect: analystProcedure
    .input(
      z.object({
        minMemoryPercent: z
          .number({ error: 'Minimum memory % must be a number' })
          .min(0, 'Minimum memory % must be between 0 and 100')
          .max(100, 'Minimum memory % must be between 0 and 100')
          .default(0),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      startCollection(await ctx.db(), { source: 'dashboard', minMemoryPercent: input.minMemoryPercent }),
    ),
});
