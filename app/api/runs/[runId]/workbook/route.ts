import { getDb } from '@/db';
import { jsonError, parseRunId } from '@/server/api/http';
import { buildRunWorkbook, CONTENT_TYPES, contentDisposition, workbookFileName } from '@/server/services/artifacts';
import { loadRunExport } from '@/server/services/runs';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }) {
  const { runId: raw } = await ctx.params;
  const runId = parseRunId(raw);
  if (runId === null) return jsonError(400, 'The run id must be a positive whole number.');
  const data = await loadRunExport(await getDb(), runId);
  if (!data) return jsonError(404, `Run ${runId} does not exist.`);
  if (data.run.status === 'running') return jsonError(409, `Run ${runId} is still collecting; try again when it has finished.`);
  const body = buildRunWorkbook(data);
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': CONTENT_TYPES.xlsx,
      'content-disposition': contentDisposition(workbookFileName(data.run.startedAt)),
      'content-length': String(body.byteLength),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
