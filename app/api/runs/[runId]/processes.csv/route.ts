import { guarded, runDownload } from '@/server/api/http';
import { buildRunCsv, CONTENT_TYPES } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The Processes sheet as RFC 4180 CSV (cells neutralised like the workbook's). */
export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (_req, ctx) =>
  runDownload((await ctx.params).runId, (data) => ({
    body: buildRunCsv(data),
    contentType: CONTENT_TYPES.csv,
    fileName: `proclens-run-${data.run.id}-processes.csv`,
  })),
);
