import { runDownload } from '@/server/api/http';
import { buildVtResultsTxt, CONTENT_TYPES, VT_RESULTS_FILE_NAME } from '@/server/services/artifacts';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/** The seed's vt_results.txt: one line per process with its VirusTotal outcome. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: buildVtResultsTxt(data),
    contentType: CONTENT_TYPES.txt,
    fileName: VT_RESULTS_FILE_NAME,
  }));
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
