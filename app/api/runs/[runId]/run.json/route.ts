import { runDownload } from '@/server/api/http';
import { buildRunJson, CONTENT_TYPES } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** The same document as `proclens collect --json`. */
export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  return runDownload((await ctx.params).runId, (data) => ({
    body: `${JSON.stringify(buildRunJson(data), null, 2)}\n`,
    contentType: CONTENT_TYPES.json,
    fileName: `proclens-run-${data.run.id}.json`,
  }));
}
