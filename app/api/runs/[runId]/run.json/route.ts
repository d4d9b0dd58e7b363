import { runDownload } from '@/server/api/http';
import { buildRunJson, CONTENT_TYPES } from '@/server/services/artifacts';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/** The same document as `proclens collect --json`. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: `${JSON.stringify(buildRunJson(data), null, 2)}\n`,
    contentType: CONTENT_TYPES.json,
    fileName: `proclens-run-${data.run.id}.json`,
  }));
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
