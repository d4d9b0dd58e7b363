import 'server-only';
import type { Db } from '@/db';
import { writeTriage, type TriageState, type TriageWrite } from '@/db/queries/triage';
import { ProcLensError } from '@/domain/errors';
import { TRIAGE_LABELS } from '@/domain/triage';

function describe(s: TriageState | null): string {
  return s ? `${TRIAGE_LABELS[s.decision]} by ${s.decidedBy} at ${s.decidedAt.toISOString()}` : 'no decision';
}

/**
 * Records a decision (or its clearing) and returns the state in force after it; a hash no run has
 * is not-found, and an edit based on a decision someone has since changed is a conflict that names
 * the current one, so the person can review it and save again.
 */
export async function saveTriage(db: Db, w: TriageWrite): Promise<TriageState | null> {
  const result = await writeTriage(db, w);
  if (result.ok) return result.state;
  if (result.reason === 'unknown-hash')
    throw new ProcLensError('not-found', `No run has an executable with SHA-256 ${w.sha256}.`);
  throw new ProcLensError(
    'conflict',
    `Someone changed this decision while you were editing it: it is now ${describe(result.current)}. Review it and save again.`,
  );
}
