import { getDb } from '@/db';
import { IMPORT_FORM_OVERHEAD_BYTES, IMPORT_TOO_LARGE_MESSAGE } from '@/domain/import-limits';
import { guarded, jsonError, readBodyWithin } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { gateRoute } from '@/server/gate';
import { logger } from '@/lib/logger';
import { IMPORT_MAX_BYTES, importWorkbook } from '@/server/services/imports';

export const dynamic = 'force-dynamic';

/**
 * "Import workbook": a multipart upload with the .xlsx in the field `file` (and optionally
 * `hostname`, used when the workbook names no host). The workbook becomes a run with source
 * "import" — stored whole or not at all — and the answer is `{ runId, … }` (201), or a sentence
 * saying why the file was not imported (400/413/415). Next's proxy does not run here (it would
 * buffer the whole upload first): `gateRoute` applies the request gate, then the body is read as
 * it arrives, up to the import limit.
 */
export const POST = gateRoute(
  guarded('analyst', async (req) => {
    const upload = await readUpload(req);
    if (upload instanceof Response) return upload;
    // The host name is bounded by the import itself (the CLI's path too); a refusal is a 400 (guarded).
    const summary = await importWorkbook(await getDb(), upload.bytes, { hostname: upload.hostname });
    logger.info(
      { runId: summary.runId, processes: summary.processes, md5Only: summary.md5Only, shape: summary.shape },
      'workbook imported',
    );
    return Response.json(summary, { status: 201, headers: { 'cache-control': 'no-store' } });
  }),
);

/**
 * The uploaded file's bytes and the optional host name, or the answer that refuses the upload.
 * Its own function so the request body and the parsed form can be collected once it returns,
 * before the import that follows needs memory of its own.
 */
async function readUpload(req: Request): Promise<{ bytes: Buffer; hostname: string | null } | Response> {
  // The boundary parameter is case-sensitive: only the media type is compared without case.
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    return jsonError(415, 'Upload the workbook as multipart/form-data, in the field "file".');
  }
  const tooLarge = IMPORT_TOO_LARGE_MESSAGE;
  const body = await readBodyWithin(req, IMPORT_MAX_BYTES + IMPORT_FORM_OVERHEAD_BYTES, tooLarge);
  if (body instanceof Response) return body;
  let form: FormData;
  try {
    // A view of the body, not a copy.
    const view = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
    form = await new Response(view, { headers: { 'content-type': type } }).formData();
  } catch {
    return jsonError(400, 'The upload could not be read as a form. Choose the workbook again and retry.');
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) return jsonError(400, 'Choose a workbook (.xlsx) to import.');
  if (file.size > IMPORT_MAX_BYTES) return jsonError(413, tooLarge);
  const hostname = form.get('hostname');
  if (hostname !== null && typeof hostname !== 'string')
    return jsonError(400, 'The "hostname" field must be text, not a file.');
  return { bytes: Buffer.from(await file.arrayBuffer()), hostname: hostname || null };
}

// Every other method: 405 with a sentence (behind the gate too).
const notAllowed = gateRoute(methodNotAllowed('POST'));
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
