import 'server-only';
import { z } from 'zod';
import { getRunExecutables, getRunFlagCounts, getRunProcesses, listRuns } from '@/db/queries/runs';
import { collectionProgress, startCollection } from '@/server/services/runs';
import { boundedText, TEXT_MAX } from '@/domain/limits';
import { vtGuiLink } from '@/domain/verdict';
import { getVtSettings } from '@/server/services/virustotal';
import { encodeRowTable } from '@/domain/row-table';
import { vtStateOf, type VtRowFields } from '@/domain/vt-state';
import { minMemoryPercentInput } from '../inputs';
import { runScoped } from '../run-procedure';
import { analystProcedure, createTRPCRouter, viewerProcedure } from '../trpc';

/** A run the caller may read (the role is checked before the run is loaded). */
const viewRun = viewerProcedure.concat(runScoped);

/** Replaces the raw VirusTotal columns with the decided state (the verdict rule lives server-side). */
function withVt<T extends VtRowFields>(row: T, threshold: number) {
  const {
    vtFound: _f,
    vtScore: _s,
    vtTotalEngines: _t,
    vtThreatLabel: _l,
    vtJobStatus: _j,
    vtJobError: _e,
    ...rest
  } = row;
  return { ...rest, vt: vtStateOf(row, threshold) };
}

/**
 * Lean rows: plain numbers and strings (the start time as ISO text), so 10,000 rows carry no
 * per-row transformer metadata and parse as plain JSON.
 */
function leanProcess(r: Awaited<ReturnType<typeof getRunProcesses>>[number], threshold: number) {
  return { ...withVt(r, threshold), processStartedAt: r.processStartedAt?.toISOString() ?? null };
}

export const runsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          beforeId: z.number().int().positive().optional(),
          /** Only this host's runs (its name or key). */
          host: boundedText(TEXT_MAX.hostname).trim().min(1).optional(),
        })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => listRuns(await ctx.db(), input)),

  latest: viewerProcedure.query(async ({ ctx }) => {
    const [run] = await listRuns(await ctx.db(), { limit: 1 });
    return run ? { ...run, progress: collectionProgress(run.id) } : null;
  }),

  byId: viewRun.query(({ ctx }) => ({ ...ctx.run, progress: collectionProgress(ctx.run.id) })),

  /** The whole run, column by column (see domain/row-table.ts); the browser decodes the rows. */
  processes: viewRun.query(async ({ ctx, input }) => {
    const db = await ctx.db();
    const [rows, vt] = await Promise.all([getRunProcesses(db, input.runId), getVtSettings(db)]);
    return encodeRowTable(rows.map((r) => leanProcess(r, vt.maliciousThreshold)));
  }),

  /**
   * The default view's first screen (Memory % descending, no filter) without reading the whole
   * run, and the badge counts over the whole run: what a large run's page renders on the server.
   */
  processesHead: viewRun.input(z.object({ limit: z.number().int().min(1).max(500) })).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    const [rows, counts, vt] = await Promise.all([
      getRunProcesses(db, input.runId, input.limit),
      getRunFlagCounts(db, input.runId),
      getVtSettings(db),
    ]);
    const { total, ...flags } = counts;
    return { rows: rows.map((r) => leanProcess(r, vt.maliciousThreshold)), total, counts: flags };
  }),

  /** One row per distinct executable; VTScore descending is the UI's default order. */
  executables: viewRun.query(async ({ ctx, input }) => {
    const db = await ctx.db();
    const [rows, vt] = await Promise.all([getRunExecutables(db, input.runId), getVtSettings(db)]);
    return rows.map((r) => ({
      ...withVt(r, vt.maliciousThreshold),
      vtFetchedAt: r.vtFetchedAt?.toISOString() ?? null,
      vtLink: vtGuiLink(r.sha256),
    }));
  }),

  collect: analystProcedure
    .input(
      z.object({
        minMemoryPercent: minMemoryPercentInput.default(0),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      startCollection(await ctx.db(), { source: 'dashboard', minMemoryPercent: input.minMemoryPercent }),
    ),
});
