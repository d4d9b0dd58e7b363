import { getDb } from '@/db';
import { hasNul, TEXT_MAX, tooLongMessage } from '@/domain/limits';
import { guarded, jsonError, readBodyWithin } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { gateRoute } from '@/server/gate';
import { logger } from '@/server/logger';
import { IMPORT_MAX_BYTES, importWorkbook, ImportRejectedError } from '@/server/services/imports';

export const dynamic = 'force-dynamic';

/** Room for the multipart framing around the file (and the short `hostname` field). */
const FORM_OVERHEAD = 64 * 1024;

/** The optional `hostname` field: a host name's budget, no NUL; absent or empty means none. */
function hostnameField(value: FormDataEntryValue | null): { hostname: string | null } | { problem: string } {
  if (value === null || value === '') return { hostname: null };
  if (typeof value !== 'string') return { problem: 'The "hostname" field must be text, not a file.' };
  if (hasNul(value)) return { problem: 'The "hostname" field must not contain a NUL character.' };
  if (value.length > TEXT_MAX.hostname)
    return { problem: `${tooLongMessage('The "hostname" field', TEXT_MAX.hostname)}.` };
  return { hostname: value };
}

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
    // The boundary parameter is case-sensitive: only the media type is compared without case.
    const type = req.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      return jsonError(415, 'Upload the workbook as multipart/form-data, in the field "file".');
    }
    const tooLarge = `The file is larger than ${IMPORT_MAX_BYTES / 2 ** 20} MB; it is not imported.`;
    const body = await readBodyWithin(req, IMPORT_MAX_BYTES + FORM_OVERHEAD, tooLarge);
    if (body instanceof Response) return body;
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    } catch {
      return jsonError(400, 'The upload could not be read as a form. Choose the workbook again and retry.');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) return jsonError(400, 'Choose a workbook (.xlsx) to import.');
    if (file.size > IMPORT_MAX_BYTES) return jsonError(413, tooLarge);
    const field = hostnameField(form.get('hostname'));
    if ('problem' in field) return jsonError(400, field.problem);
    try {
      const summary = await importWorkbook(await getDb(), Buffer.from(await file.arrayBuffer()), {
        hostname: field.hostname,
      });
      logger.info(
        { runId: summary.runId, processes: summary.processes, md5Only: summary.md5Only, shape: summary.shape },
        'workbook imported',
      );
      return Response.json(summary, { status: 201, headers: { 'cache-control': 'no-store' } });
    } catch (e) {
      if (e instanceof ImportRejectedError) return jsonError(400, e.message);
      throw e;
    }
  }),
);

// Every other method: 405 with a sentence (behind the gate too).
const notAllowed = gateRoute(methodNotAllowed('POST'));
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
