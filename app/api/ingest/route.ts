import { getDb } from '@/db';
import { guarded, jsonError, readBodyWithin } from '@/server/api/http';
import { getEnv } from '@/lib/env';
import { gateRoute } from '@/server/gate';
import { logger } from '@/lib/logger';
import { agentSnapshotSchema, snapshotProblem, snapshotSchema, storeSnapshot } from '@/server/services/runs';
import { queueAgentSnapshotHashes } from '@/server/services/fleet';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

function overCap(n: number, max: number): Response | null {
  return n > max
    ? jsonError(413, `The snapshot has ${n} processes; the limit is ${max} (INGEST_MAX_PROCESSES).`)
    : null;
}

/**
 * Stores a pushed snapshot. Agents authenticate with a token (POST with `Authorization: Bearer …`);
 * the local CLI proves it shares this server's data directory with the lock file's token.
 * Everything is validated before anything is written, and a snapshot is stored whole or not at all.
 * Next's proxy does not run here (it would buffer the whole body first): `gateRoute` applies the
 * request gate, then the body is read as it arrives, up to INGEST_MAX_MB.
 */
export const POST = gateRoute(
  guarded('agent', async (req, _ctx, who) => {
    if (who.kind !== 'agent') return jsonError(403, 'Only an agent token may push snapshots.');
    const env = getEnv();
    if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return jsonError(415, 'Send the snapshot as application/json.');
    }
    const body = await readBodyWithin(
      req,
      env.INGEST_MAX_MB * 1024 * 1024,
      `The snapshot is larger than ${env.INGEST_MAX_MB} MiB (INGEST_MAX_MB).`,
    );
    if (body instanceof Response) return body;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return jsonError(400, 'The snapshot is not valid JSON.');
    }
    const db = await getDb();
    if (who.tokenId === null) {
      // The local CLI hand-over: no snapshot id, no token to record.
      const parsed = snapshotSchema.safeParse(json);
      if (!parsed.success) return jsonError(400, snapshotProblem(parsed.error.issues));
      const tooMany = overCap(parsed.data.processes.length, env.INGEST_MAX_PROCESSES);
      if (tooMany) return tooMany;
      const source = req.headers.get('x-proclens-source') === 'agent' ? 'agent' : 'cli';
      const { runId } = await storeSnapshot(db, parsed.data, source);
      logger.info({ runId, processes: parsed.data.processes.length, source }, 'snapshot stored');
      return Response.json({ runId }, { status: 201 });
    }
    const parsed = agentSnapshotSchema.safeParse(json);
    if (!parsed.success) return jsonError(400, snapshotProblem(parsed.error.issues));
    const a = parsed.data;
    const tooMany = overCap(a.processes.length, env.INGEST_MAX_PROCESSES);
    if (tooMany) return tooMany;
    const { runId, replayed } = await storeSnapshot(db, a, 'agent', {
      snapshotId: a.snapshotId,
      agentVersion: a.agentVersion,
      tokenId: who.tokenId,
    });
    if (!replayed) await queueAgentSnapshotHashes(db, runId);
    logger.info(
      { runId, processes: a.processes.length, token: who.name, replayed },
      replayed ? 'snapshot replay ignored' : 'snapshot stored',
    );
    return Response.json({ runId, replayed }, { status: replayed ? 200 : 201 });
  }),
);

// Every other method: 405 with a sentence (behind the gate too).
const notAllowed = gateRoute(methodNotAllowed('POST'));
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
