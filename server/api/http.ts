import 'server-only';
import { getDb } from '@/db';
import { parseRunId } from '@/domain/run-id';
import { contentDisposition, type RunExport } from '@/server/services/artifacts';
import { loadRunExport } from '@/server/services/runs';

/** Helpers for route handlers that stream files: errors are JSON with one readable sentence. */
export function jsonError(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status, headers: { 'cache-control': 'no-store' } });
}

/** Reads a request body up to `limit` bytes; null when it is larger. */
export async function readBodyLimited(req: Request, limit: number): Promise<string | null> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The shared front of every per-run download: validates the id, loads the run's export, and
 * answers 400/404/409 with a sentence when it cannot.
 */
export async function runDownload(
  rawId: string,
  build: (data: RunExport) => { body: Uint8Array | string; contentType: string; fileName: string },
): Promise<Response> {
  const runId = parseRunId(rawId);
  if (runId === null) return jsonError(400, 'The run id must be a positive whole number.');
  const data = await loadRunExport(await getDb(), runId);
  if (!data) return jsonError(404, `Run ${runId} does not exist.`);
  if (data.run.status === 'running') return jsonError(409, `Run ${runId} is still collecting; try again when it has finished.`);
  const { body, contentType, fileName } = build(data);
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': contentType,
      'content-disposition': contentDisposition(fileName),
      'content-length': String(bytes.byteLength),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
