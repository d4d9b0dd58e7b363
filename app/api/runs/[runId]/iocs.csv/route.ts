import { guarded, runDownload } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildIocCsv, CONTENT_TYPES, iocFileName, iocsFromRun } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The run's malicious hashes with every hash type, score, label and names. */
export const GET = guarded<{ params: Promise<{ runId: string }> }>('viewer', async (_req, ctx) =>
  runDownload((await ctx.params).runId, (data) => ({
    body: buildIocCsv(iocsFromRun(data)),
    contentType: CONTENT_TYPES.csv,
    fileName: iocFileName({ runId: data.run.id ?? 0 }, 'csv'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
