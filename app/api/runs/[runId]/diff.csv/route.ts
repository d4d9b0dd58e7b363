import { diffDownload } from '@/server/api/diff-download';
import { guarded } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildDiffCsv, CONTENT_TYPES, diffFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** One row per difference: change, path, old and new SHA-256, VirusTotal on each, the processes, badges. */
export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (req, ctx) =>
  diffDownload(req, (await ctx.params).runId, (view) => ({
    body: buildDiffCsv(view),
    contentType: CONTENT_TYPES.csv,
    fileName: diffFileName(view, 'csv'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
