import crypto from 'node:crypto';
import { openDb } from '@/db';
import { jsonError, readBodyLimited } from '@/server/api/http';
import { logger } from '@/server/logger';
import { ingestSnapshot, snapshotSchema } from '@/server/services/runs';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

const MAX_BODY = 64 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Stores a snapshot collected by the CLI on this machine while this server holds the embedded
 * database. The CLI proves it may write by the token in the data directory's lock file (0600).
 */
export async function POST(req: Request) {
  const handle = await openDb();
  const token = req.headers.get('x-proclens-local-token') ?? '';
  if (!handle.lock || !token || !sameSecret(token, handle.lock.info.token)) {
    return jsonError(403, 'This endpoint accepts snapshots from the ProcLens CLI on this machine only.');
  }
  const text = await readBodyLimited(req, MAX_BODY);
  if (text === null) return jsonError(413, `The snapshot is larger than ${MAX_BODY / 1024 / 1024} MiB.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return jsonError(400, 'The snapshot is not valid JSON.');
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return jsonError(400, `The snapshot is invalid: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown error'}`);
  }
  const source = req.headers.get('x-proclens-source') === 'agent' ? 'agent' : 'cli';
  const runId = await ingestSnapshot(handle.db, parsed.data, source);
  logger.info({ runId, processes: parsed.data.processes.length, source }, 'snapshot stored');
  return Response.json({ runId }, { status: 201 });
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('POST');
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
