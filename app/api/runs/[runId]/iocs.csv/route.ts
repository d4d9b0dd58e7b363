import { runDownload } from '@/server/api/http';
import { buildIocCsv, CONTENT_TYPES, iocFileName, iocsFromRun } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The run's malicious hashes with every hash type, score, label and names. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: buildIocCsv(iocsFromRun(data)),
    contentType: CONTENT_TYPES.csv,
    fileName: iocFileName({ runId: data.run.id ?? 0 }, 'csv'),
  }));
}
