import { runDownload } from '@/server/api/http';
import { buildRunCsv, CONTENT_TYPES } from '@/server/services/artifacts';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/** The Processes sheet as RFC 4180 CSV (cells neutralised like the workbook's). */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: buildRunCsv(data),
    contentType: CONTENT_TYPES.csv,
    fileName: `proclens-run-${data.run.id}-processes.csv`,
  }));
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
