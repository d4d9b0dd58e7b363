import 'server-only';
import { getDb } from '@/db';
import { DIFF_AGAINST_PROBLEM, parseDiffAgainst } from '@/domain/run-diff';
import { parseRunId } from '@/domain/run-id';
import { loadRunDiff, RunDiffError, type RunDiffView } from '@/server/services/diff';
import { fileResponse, jsonError } from './http';

const STATUS = { 'not-found': 404, conflict: 409, 'bad-request': 400 } as const;

/**
 * A run-diff download (`/api/runs/<id>/diff.csv?against=previous|baseline|<runId>`): the same
 * sentences as the page for a bad id, a missing or unfinished run, or an `against` that is none.
 */
export async function diffDownload(
  req: Request,
  rawId: string,
  build: (view: RunDiffView) => { body: string; contentType: string; fileName: string },
): Promise<Response> {
  const runId = parseRunId(rawId);
  if (runId === null) return jsonError(400, 'The run id must be a positive whole number.');
  const against = parseDiffAgainst(new URL(req.url).searchParams.get('against'));
  if (against === null) return jsonError(400, DIFF_AGAINST_PROBLEM);
  let view: RunDiffView;
  try {
    view = await loadRunDiff(await getDb(), runId, against);
  } catch (e) {
    if (e instanceof RunDiffError) return jsonError(STATUS[e.reason], e.message);
    throw e;
  }
  return fileResponse(build(view));
}
