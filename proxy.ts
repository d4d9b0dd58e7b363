import { NextResponse, type NextRequest } from 'next/server';
import {
  decide,
  gateConfigFromEnv,
  newNonce,
  refusalBody,
  refusalResponse,
  trailingSlashRedirect,
  type GateConfig,
} from '@/server/gate';
import { decideAccess, type AccessDecision } from '@/server/gate/access';
import { accessLookups, accessModeFromEnv } from '@/server/gate/access-lookups';
import { logger } from '@/server/logger';

/**
 * Every request — pages, tRPC, downloads, health, static files — passes the gate in server/gate
 * before the app sees it: first the request's shape (decide.ts: Host, Origin, content type, batch
 * size, body size), then who may reach it at all (access.ts: session or local access token). This
 * file only adapts Next's request and response to them. The two upload routes are the exception
 * (see `config` below): they run the same gate themselves, and their handlers check credentials.
 */
let gate: GateConfig | null = null;

async function access(request: NextRequest): Promise<AccessDecision> {
  try {
    return await decideAccess(
      {
        method: request.method,
        pathname: request.nextUrl.pathname,
        search: request.nextUrl.search,
        origin: request.nextUrl.origin,
      },
      accessModeFromEnv(),
      accessLookups(request.headers),
    );
  } catch (e) {
    logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not check access');
    const message = 'ProcLens could not check who may open this. See the server log.';
    const { body, contentType } = refusalBody(request.nextUrl.pathname, message);
    return { kind: 'refuse', status: 503, body, contentType };
  }
}

export async function proxy(request: NextRequest) {
  gate ??= gateConfigFromEnv(process.env);
  const decision = decide(
    { method: request.method, pathname: request.nextUrl.pathname, headers: request.headers },
    gate,
    newNonce(),
  );
  if (decision.kind === 'refuse') return refusalResponse(request.nextUrl.pathname, decision);
  // A trailing slash goes to the canonical path before access is decided on it.
  const redirect = trailingSlashRedirect(request.nextUrl, decision.responseHeaders);
  if (redirect) return redirect;
  const allowed = await access(request);
  if (allowed.kind === 'refuse') {
    return new NextResponse(allowed.body || null, {
      status: allowed.status,
      headers: { ...decision.responseHeaders, 'content-type': allowed.contentType, 'cache-control': 'no-store' },
    });
  }
  if (allowed.kind === 'redirect') {
    // Next wants an absolute Location from the proxy; it sends a same-origin one as a path again.
    const location = new URL(allowed.location, request.nextUrl.origin).toString();
    const headers = new Headers({ ...decision.responseHeaders, location, 'cache-control': 'no-store' });
    if (allowed.setCookie) headers.append('set-cookie', allowed.setCookie);
    return new NextResponse(null, { status: 307, headers });
  }
  const requestHeaders = new Headers(request.headers);
  for (const [k, v] of Object.entries(decision.requestHeaders)) requestHeaders.set(k, v);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(decision.responseHeaders)) response.headers.set(k, v);
  return response;
}

/**
 * Next reads a request's whole body before the proxy answers (server/gate/body-limits.ts), so the
 * upload routes — STREAMED_ROUTES there, exactly these two paths — skip the proxy and read their
 * bodies themselves behind the same gate (`gateRoute`). Next needs this literal; a unit test
 * checks it against STREAMED_ROUTES with Next's own matcher compiler.
 */
export const config = {
  matcher: ['/((?!api/ingest$|api/imports$).*)'],
};
