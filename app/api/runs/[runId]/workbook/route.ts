import { guarded, runDownload } from '@/server/api/http';
import { buildRunWorkbook, CONTENT_TYPES, workbookFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (_req, ctx) =>
  runDownload((await ctx.params).runId, (data) => ({
    body: buildRunWorkbook(data),
    contentType: CONTENT_TYPES.xlsx,
    fileName: workbookFileName(data.run.startedAt),
  })),
);
