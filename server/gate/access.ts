import { SIGN_IN_UNAVAILABLE_MESSAGE } from '@/domain/errors';
import { LOCAL_ACCESS_PARAM, LOCAL_ACCESS_REQUIRED } from '@/domain/local-access';
import { safeNext } from '@/domain/safe-next';
import { localAccessPage } from './access-page';

/**
 * Who may reach a page or the API at all (issue #17, items 5 and 11), decided in the proxy after
 * decide.ts has checked Host, Origin, content type and batch size. Both modes' rules sit here:
 *
 *   hosted  pages need a real session (Better Auth validates the cookie; a cookie that merely
 *           exists is not one): without it GET/HEAD get 307 to /sign-in?next=<this page>.
 *           /sign-in, /api/auth/* and /api/health are open; the rest of /api answers 401 JSON
 *           from its own role builders (some procedures, such as system.me, are public).
 *   local   everything needs the access token (cookie or bearer) but static files and
 *           /api/health; POST /api/ingest checks its own token (the CLI's lock-file hand-over).
 *           `?token=<secret>` on a page sets the cookie and redirects to the same URL without it.
 *           PROCLENS_LOCAL_AUTH=off opens everything, as before.
 *
 * This is the front door, not the only lock: procedures and route handlers resolve the caller
 * again (server/auth/principal.ts), so a request that reaches them some other way is refused too.
 * Pure apart from the lookups it is given, so tests drive it directly.
 */
export type AccessMode = { mode: 'hosted' } | { mode: 'local'; tokenRequired: boolean };

export interface AccessRequest {
  method: string;
  pathname: string;
  /** The raw query string, with its `?` (or empty). */
  search: string;
  /** This request's origin: `next` must stay on it. */
  origin: string;
}

/** What a path needs before the app sees it. */
export type PathRule = 'open' | 'own-check' | 'person';

/** Answers the decision needs; each is asked only when the path calls for it. */
export interface AccessLookups {
  /** Local mode: the cookie or bearer token of this request. */
  localCredential(): 'valid' | 'invalid' | 'absent';
  /** Local mode: the cookie to set when `token` is this server's secret, else null. */
  linkCookie(token: string): { name: string; value: string } | null;
  /** Hosted mode: whether the request carries a valid session (throws when it cannot tell). */
  session(): Promise<'valid' | 'absent'>;
}

export type AccessDecision =
  | { kind: 'pass' }
  | { kind: 'redirect'; location: string; setCookie: string | null }
  | { kind: 'refuse'; status: 401 | 503; body: string; contentType: string };

/** How long the browser keeps the cookie the link sets (the link itself keeps working). */
export const LOCAL_COOKIE_MAX_AGE_S = 30 * 24 * 3600;

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * Files any visitor may fetch: Next's hashed build output and the public files the sign-in page
 * loads. They hold no data. A new public file stays behind the gate until it is listed here.
 */
const STATIC_PREFIXES = ['/_next/static/'];
const STATIC_FILES = new Set(['/favicon.ico', '/icon.svg', '/theme.js']);

function isApi(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

export function pathRule(method: string, pathname: string, mode: AccessMode): PathRule {
  if (mode.mode === 'local' && !mode.tokenRequired) return 'open';
  if (STATIC_FILES.has(pathname) || STATIC_PREFIXES.some((p) => pathname.startsWith(p))) return 'open';
  if (pathname === '/api/health') return 'open';
  if (mode.mode === 'hosted') {
    if (pathname === '/sign-in' || pathname === '/api/auth' || pathname.startsWith('/api/auth/')) return 'open';
    return isApi(pathname) ? 'own-check' : 'person';
  }
  return pathname === '/api/ingest' && method.toUpperCase() === 'POST' ? 'own-check' : 'person';
}

function json(status: 401 | 503, message: string): AccessDecision {
  return { kind: 'refuse', status, body: JSON.stringify({ error: { message } }), contentType: JSON_TYPE };
}

/** `search` without the link's token, for the redirect after the cookie is set. */
function withoutToken(search: string): string {
  const params = new URLSearchParams(search);
  params.delete(LOCAL_ACCESS_PARAM);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

function localCookie(cookie: { name: string; value: string }, secure: boolean): string {
  return [
    `${cookie.name}=${cookie.value}`,
    'Path=/',
    `Max-Age=${LOCAL_COOKIE_MAX_AGE_S}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function decideLocal(req: AccessRequest, lookups: AccessLookups): AccessDecision {
  const api = isApi(req.pathname);
  const method = req.method.toUpperCase();
  const page = (linkRefused: boolean): AccessDecision => ({
    kind: 'refuse',
    status: 401,
    body: method === 'HEAD' ? '' : localAccessPage(req.origin, linkRefused),
    contentType: HTML_TYPE,
  });
  // The printed link: only on pages (a token in an API URL would end up in logs and histories).
  const token = new URLSearchParams(req.search).get(LOCAL_ACCESS_PARAM);
  if (!api && token !== null && (method === 'GET' || method === 'HEAD')) {
    const cookie = lookups.linkCookie(token);
    if (!cookie) return page(true);
    return {
      kind: 'redirect',
      location: `${req.pathname}${withoutToken(req.search)}`,
      setCookie: localCookie(cookie, req.origin.startsWith('https:')),
    };
  }
  if (lookups.localCredential() === 'valid') return { kind: 'pass' };
  return api ? json(401, LOCAL_ACCESS_REQUIRED) : page(false);
}

async function decideHosted(req: AccessRequest, lookups: AccessLookups): Promise<AccessDecision> {
  let session: 'valid' | 'absent';
  try {
    session = await lookups.session();
  } catch {
    return {
      kind: 'refuse',
      status: 503,
      body: `${SIGN_IN_UNAVAILABLE_MESSAGE}\n`,
      contentType: TEXT_TYPE,
    };
  }
  if (session === 'valid') return { kind: 'pass' };
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD')
    return { kind: 'refuse', status: 401, body: 'Sign in to use ProcLens.\n', contentType: TEXT_TYPE };
  const next = safeNext(`${req.pathname}${req.search}`, req.origin);
  return { kind: 'redirect', location: `/sign-in?next=${encodeURIComponent(next)}`, setCookie: null };
}

export async function decideAccess(
  req: AccessRequest,
  mode: AccessMode,
  lookups: AccessLookups,
): Promise<AccessDecision> {
  const rule = pathRule(req.method, req.pathname, mode);
  if (rule !== 'person') return { kind: 'pass' };
  return mode.mode === 'hosted' ? decideHosted(req, lookups) : decideLocal(req, lookups);
}
