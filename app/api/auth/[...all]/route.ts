import { guarded, jsonError } from '@/server/api/http';
import { handleAuthRequest } from '@/server/api/auth-route';
import { methodNotAllowed } from '@/server/api/methods';
import { getEnv } from '@/server/env';

export const dynamic = 'force-dynamic';

/**
 * Better Auth's HTTP API at its default base path (/api/auth/*), so scripts can sign in with
 * `POST /api/auth/sign-in/email`. Public: signing in is how a session starts; sign-ins are
 * throttled per account and per client address (server/api/auth-route.ts). Local mode has no
 * people and no sign-in.
 */
const handler = guarded('public', async (req) => {
  if (!getEnv().hosted) return jsonError(404, 'Sign-in exists in hosted mode only (PROCLENS_MODE=hosted).');
  return handleAuthRequest(req);
});

export { handler as GET, handler as POST };

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET', 'POST');
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
