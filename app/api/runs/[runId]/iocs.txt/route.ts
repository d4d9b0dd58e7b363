import { guarded, runDownload } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildIocTxt, CONTENT_TYPES, iocFileName, iocsFromRun } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The run's malicious SHA-256s, one per line. */
export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (_req, ctx) =>
  runDownload((await ctx.params).runId, (data) => ({
    body: buildIocTxt(iocsFromRun(data)),
    contentType: CONTENT_TYPES.txt,
    fileName: iocFileName({ runId: data.run.id ?? 0 }, 'txt'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
