import 'server-only';
import { getDb } from '@/db';
import { DIFF_AGAINST_PROBLEM, parseDiffAgainst } from '@/domain/run-diff';
import { ProcLensError } from '@/domain/errors';
import { loadRunDiff, type RunDiffView } from '@/server/services/diff';
import { fileResponse, runIdParam } from './http';

/**
 * A run-diff download (`/api/runs/<id>/diff.csv?against=previous|baseline|<runId>`), inside
 * `guarded`: the same sentences as the page for a bad id, a missing or unfinished run, or an
 * `against` that is none (the service's errors map to their status there).
 */
export async function diffDownload(
  req: Request,
  rawId: string,
  build: (view: RunDiffView) => { body: string; contentType: string; fileName: string },
): Promise<Response> {
  const runId = runIdParam(rawId);
  const against = parseDiffAgainst(new URL(req.url).searchParams.get('against'));
  if (against === null) throw new ProcLensError('bad-input', DIFF_AGAINST_PROBLEM);
  return fileResponse(build(await loadRunDiff(await getDb(), runId, against)));
}
