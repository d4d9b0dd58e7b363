import 'server-only';
import { getDb, type Db } from '@/db';
import { admitSignIn, forgetOldSignInFailures, signInSucceeded } from '@/db/queries/sign-in-throttle';
import { SIGN_IN_UNAVAILABLE_MESSAGE } from '@/domain/errors';
import { hasNul, TEXT_MAX } from '@/domain/limits';
import { throttledMessage } from '@/domain/sign-in-throttle';
import { getAuth } from '@/server/auth/auth';
import { CLIENT_IP_HEADER, clientAddressOf, type ClientAddress } from '@/server/auth/client-address';
import { logger } from '@/lib/logger';
import { addressBucket } from '@/lib/ip-ranges';
import { AUTH_BODY_MAX_BYTES } from '@/server/gate/body-limits';
import { jsonError, readBodyWithin } from './http';

/**
 * Every request to Better Auth's HTTP API passes here (app/api/auth/[...all]/route.ts). Better Auth
 * learns the client address only from CLIENT_IP_HEADER, which this module sets from the TCP peer
 * (and TRUSTED_PROXIES) after deleting any copy a client sent. A sign-in is throttled per account
 * and per address (domain/sign-in-throttle.ts) before its password is looked at, and a failed one
 * is logged with the account and the address.
 */
const AUTH_BASE = '/api/auth';

/** Any path Better Auth would route as a sign-in (its router ignores empty segments and a trailing slash). */
function isSignIn(req: Request): boolean {
  if (req.method !== 'POST') return false;
  const path = new URL(req.url).pathname;
  if (!path.startsWith(`${AUTH_BASE}/`)) return false;
  const first = path.slice(AUTH_BASE.length).split('/').find(Boolean) ?? '';
  return first.toLowerCase().startsWith('sign-in');
}

const warned = new Set<string>();
function warnOnce(why: Exclude<ClientAddress['via'], 'peer' | 'forwarded'>): void {
  if (warned.has(why)) return;
  warned.add(why);
  logger.warn(
    why === 'unstamped'
      ? 'client addresses are unknown because the server was not started with `npm start` (scripts/start.mjs); sign-in is throttled per account only'
      : 'a proxy listed in TRUSTED_PROXIES sent a request without a client address in X-Forwarded-For; have it send one (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;). Until then sign-in is throttled per account only',
  );
}

/** The request Better Auth sees: the client address stamped, a client's own copy of it gone. */
function forBetterAuth(req: Request, client: ClientAddress, body?: string): Request {
  const headers = new Headers(req.headers);
  headers.delete(CLIENT_IP_HEADER);
  if (client.address !== null) headers.set(CLIENT_IP_HEADER, client.address);
  if (body === undefined) return new Request(req, { headers });
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Request(req.url, { method: 'POST', headers, body });
}

function throttled(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const res = jsonError(429, throttledMessage(seconds));
  res.headers.set('retry-after', String(seconds));
  return res;
}

/** The email and password of a sign-in body, or a sentence saying what is wrong with it. */
function parseSignIn(text: string): { body: Record<string, unknown>; email: string } | { problem: string } {
  const problem = 'Send {"email": "…", "password": "…"} as JSON.';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem };
  const { email, password } = body as Record<string, unknown>;
  if (typeof email !== 'string' || typeof password !== 'string') return { problem };
  const normalized = email.trim().toLowerCase();
  if (normalized.length === 0 || normalized.length > TEXT_MAX.email || hasNul(normalized))
    return { problem: 'That is not an email address.' };
  return { body: body as Record<string, unknown>, email: normalized };
}

async function signIn(req: Request, client: ClientAddress): Promise<Response> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return jsonError(415, 'Send the sign-in as application/json.');
  const bytes = await readBodyWithin(
    req,
    AUTH_BODY_MAX_BYTES,
    `A sign-in is at most ${AUTH_BODY_MAX_BYTES / 1024} KiB.`,
  );
  if (bytes instanceof Response) return bytes;
  const parsed = parseSignIn(bytes.toString('utf8'));
  if ('problem' in parsed) return jsonError(400, parsed.problem);

  const account = `account:${parsed.email}`;
  const address = client.address === null ? null : `address:${addressBucket(client.address)}`;
  const who = { account: parsed.email, address: client.address };
  let db: Db;
  let admission;
  try {
    db = await getDb();
    admission = await admitSignIn(db, [
      { kind: 'account', key: account },
      ...(address ? [{ kind: 'address' as const, key: address }] : []),
    ]);
  } catch (e) {
    logger.error({ err: e instanceof Error ? e.message : String(e) }, 'sign-in throttle unavailable');
    return jsonError(503, SIGN_IN_UNAVAILABLE_MESSAGE);
  }
  if (!admission.admitted) {
    logger.info(who, 'sign-in throttled');
    return throttled(admission.retryAfterMs);
  }
  void forgetOldSignInFailures(db).catch(() => undefined);

  // Better Auth reads exactly the body that was throttled (re-serialised: one parse decides).
  const res = await (await getAuth()).handler(forBetterAuth(req, client, JSON.stringify(parsed.body)));
  if (!res.ok) logger.warn({ ...who, status: res.status }, 'sign-in failed');
  else
    await signInSucceeded(db, account, address).catch((e: unknown) =>
      // The person is signed in; at worst their counter stays until it is forgotten.
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not clear a sign-in counter'),
    );
  return res;
}

/** Better Auth's HTTP API behind the client-address stamp, with sign-ins throttled. */
export async function handleAuthRequest(req: Request): Promise<Response> {
  const client = clientAddressOf(req.headers);
  if (client.address === null) warnOnce(client.via);
  if (isSignIn(req)) return signIn(req, client);
  return (await getAuth()).handler(forBetterAuth(req, client));
}
