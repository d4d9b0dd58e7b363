import { diffDownload } from '@/server/api/diff-download';
import { guarded } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildDiffTxt, CONTENT_TYPES, diffFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** A plain-text summary of the diff: the two runs, the counts, each difference. */
export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (req, ctx) =>
  diffDownload(req, (await ctx.params).runId, (view) => ({
    body: buildDiffTxt(view),
    contentType: CONTENT_TYPES.txt,
    fileName: diffFileName(view, 'txt'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
