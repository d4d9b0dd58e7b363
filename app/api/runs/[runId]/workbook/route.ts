import { runDownload } from '@/server/api/http';
import { buildRunWorkbook, CONTENT_TYPES, workbookFileName } from '@/server/services/artifacts';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: buildRunWorkbook(data),
    contentType: CONTENT_TYPES.xlsx,
    fileName: workbookFileName(data.run.startedAt),
  }));
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
