import { jsonValueProblem } from '@/domain/limits';
import { handleAuthRequest } from '@/server/api/auth-route';
import { guarded, jsonError, readBodyWithin } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { getEnv } from '@/lib/env';
import { AUTH_BODY_MAX_BYTES, bodyTooLargeMessage } from '@/server/gate/body-limits';

export const dynamic = 'force-dynamic';

/**
 * Better Auth's HTTP API at its default base path (/api/auth/*), so scripts can sign in with
 * `POST /api/auth/sign-in/email`. Public: signing in is how a session starts; sign-ins are
 * throttled per account and per client address (server/api/auth-route.ts). Local mode has no
 * people and no sign-in.
 */
const handler = guarded('public', async (req) => {
  if (!getEnv().hosted) return jsonError(404, 'Sign-in exists in hosted mode only (PROCLENS_MODE=hosted).');
  if (req.method === 'GET' || req.method === 'HEAD') return handleAuthRequest(req);
  const body = await readBodyWithin(req, AUTH_BODY_MAX_BYTES, bodyTooLargeMessage(AUTH_BODY_MAX_BYTES));
  if (body instanceof Response) return body;
  const problem = jsonBodyProblem(req.headers.get('content-type'), body);
  if (problem) return jsonError(400, problem);
  return handleAuthRequest(
    new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) }),
  );
});

/**
 * The same floor tRPC inputs get (domain/limits.ts), before Better Auth reads a JSON body: no NUL,
 * no endless text, no number beyond what PostgreSQL holds. Anything it cannot parse is left to
 * Better Auth, which answers that itself.
 */
function jsonBodyProblem(contentType: string | null, body: Buffer): string | null {
  if (!(contentType ?? '').toLowerCase().startsWith('application/json')) return null;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const problem = jsonValueProblem(value, 'body');
  return problem ? `${problem}.` : null;
}

export { handler as GET, handler as POST };

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET', 'POST');
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
