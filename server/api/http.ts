import 'server-only';
import { getDb } from '@/db';
import { inputDataError } from '@/db/errors';
import { ERROR_EDGES, isProcLensError, ProcLensError, SIGN_IN_UNAVAILABLE_MESSAGE } from '@/domain/errors';
import { parseRunId } from '@/domain/run-id';
import { declaredBodyLength } from '@/server/gate/body-limits';
import { decide, deniedMessage, resolvePrincipal, type Access, type Principal } from '@/server/auth/principal';
import { logger } from '@/lib/logger';
import { contentDisposition, type RunExport } from '@/server/services/artifacts';
import { loadRunExport } from '@/server/services/runs';

/** Helpers for route handlers that stream files: errors are JSON with one readable sentence. */
export function jsonError(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status, headers: { 'cache-control': 'no-store' } });
}

type Handler<C> = (req: Request, ctx: C, who: Principal) => Promise<Response>;

/** A route handler that states what it needs; the role matrix test reads `access`. */
export type GuardedHandler<C> = ((req: Request, ctx: C) => Promise<Response>) & { access: Access };

/**
 * The route-handler side of the gate procedures use: the same principal and the same rule, so a
 * download or an ingest answers 401 without a session or token and 403 without the role.
 */
export function guarded<C = unknown>(access: Access, handler: Handler<C>): GuardedHandler<C> {
  const fn = async (req: Request, ctx: C) => {
    // Public routes (health, sign-in, the tRPC endpoint whose procedures gate themselves) skip the lookup.
    if (access === 'public') return answerErrors(req, () => handler(req, ctx, { kind: 'anonymous' }));
    let who: Principal;
    try {
      who = await resolvePrincipal(req.headers, access);
    } catch (e) {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not resolve the caller');
      return jsonError(ERROR_EDGES.unavailable.http, SIGN_IN_UNAVAILABLE_MESSAGE);
    }
    const d = decide(who, access);
    if (d !== 'ok') return jsonError(ERROR_EDGES[d].http, access === 'agent' ? AGENT_DENIED[d] : deniedMessage(d));
    return answerErrors(req, () => handler(req, ctx, who));
  };
  return Object.assign(fn, { access });
}

/** What a caller of an agent route is told (the agent prints the 401's sentence). */
const AGENT_DENIED = {
  unauthenticated: 'token invalid or revoked',
  forbidden: 'Only an agent token may push snapshots.',
} as const;

/**
 * The route-handler edge of the one error mapping: a ProcLensError thrown by the handler or a
 * service answers its code's status with its sentence. And the last resort behind validation: a
 * PostgreSQL data exception (a NUL, a number out of range…) that still reaches the database
 * answers 400 with a sentence, not a 500 with an empty body. Anything else is a bug: it goes on to
 * Next, which logs it and answers 500 without a body.
 */
async function answerErrors(req: Request, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (e) {
    if (isProcLensError(e)) return jsonError(ERROR_EDGES[e.code].http, e.message);
    const data = inputDataError(e);
    if (!data) throw e;
    // The driver's message quotes the statement's parameters (the request's values): never logged.
    logger.warn({ path: new URL(req.url).pathname, sqlstate: data.code }, 'request refused by the database');
    return jsonError(ERROR_EDGES['bad-input'].http, data.message);
  }
}

/**
 * A refused body is read on (into nothing) up to DISCARD_MAX_BYTES before the 413 goes out: a
 * server that closes on a client still sending resets the connection, and the client often loses
 * the answer with it (EPIPE instead of the sentence). Beyond that the connection is cut.
 */
export const DISCARD_MAX_BYTES = 32 * 1024 * 1024;

async function discardBody(reader: ReadableStreamDefaultReader<Uint8Array> | undefined): Promise<void> {
  if (!reader) return;
  let seen = 0;
  try {
    while (seen <= DISCARD_MAX_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      seen += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to answer.
  }
}

/** The answer to a body that ended before its Content-Length, or whose client went away mid-body. */
export const BODY_CUT_MESSAGE = 'The request body ended before it was complete. Send it again.';

/**
 * Reads a request body of at most `limit` bytes, counting as it arrives (a chunked body declares no
 * length), and returns its bytes — or the answer to send instead: 413 with `tooLarge` when the
 * declared or the counted size is over the limit, 400 when the body ends short of its
 * Content-Length or the client disconnects mid-body. A disconnect is logged as one line; nobody is
 * left to read its answer.
 */
export async function readBodyWithin(req: Request, limit: number, tooLarge: string): Promise<Buffer | Response> {
  const declared = declaredBodyLength(req.headers);
  if (declared !== null && declared > limit) {
    await discardBody(req.body?.getReader());
    return jsonError(413, tooLarge);
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (e) {
      logger.info(
        {
          path: new URL(req.url).pathname,
          received: size,
          declared,
          reason: e instanceof Error ? e.message : String(e),
        },
        'request body cut off: the client went away',
      );
      return jsonError(400, BODY_CUT_MESSAGE);
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      await discardBody(reader);
      return jsonError(413, tooLarge);
    }
    chunks.push(chunk.value);
  }
  if (declared !== null && size !== declared) return jsonError(400, BODY_CUT_MESSAGE);
  return Buffer.concat(chunks);
}

/** The run id in a download's path, or a bad-input error with the sentence every download gives. */
export function runIdParam(rawId: string): number {
  const runId = parseRunId(rawId);
  if (runId === null) throw new ProcLensError('bad-input', 'The run id must be a positive whole number.');
  return runId;
}

/**
 * The shared front of every per-run download (inside `guarded`): validates the id, loads the
 * run's export, and refuses a missing or unfinished run with a sentence.
 */
export async function runDownload(
  rawId: string,
  build: (data: RunExport) => { body: Uint8Array | string; contentType: string; fileName: string },
): Promise<Response> {
  const runId = runIdParam(rawId);
  const data = await loadRunExport(await getDb(), runId);
  if (!data) throw new ProcLensError('not-found', `Run ${runId} does not exist.`);
  if (data.run.status === 'running')
    throw new ProcLensError('conflict', `Run ${runId} is still collecting; try again when it has finished.`);
  return fileResponse(build(data));
}

/** A download: the file's bytes with its name, never cached, never sniffed. */
export function fileResponse(file: { body: string | Uint8Array; contentType: string; fileName: string }): Response {
  const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      'content-length': String(bytes.byteLength),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
