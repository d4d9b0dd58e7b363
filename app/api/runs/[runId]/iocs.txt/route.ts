import { runDownload } from '@/server/api/http';
import { buildIocTxt, CONTENT_TYPES, iocFileName, iocsFromRun } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The run's malicious SHA-256s, one per line. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: buildIocTxt(iocsFromRun(data)),
    contentType: CONTENT_TYPES.txt,
    fileName: iocFileName({ runId: data.run.id ?? 0 }, 'txt'),
  }));
}
