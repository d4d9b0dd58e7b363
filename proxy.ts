import { NextResponse, type NextRequest } from 'next/server';
import {
  decide,
  gateConfigFromEnv,
  newNonce,
  refusalResponse,
  trailingSlashRedirect,
  type GateConfig,
} from '@/server/gate';

/**
 * Every request — pages, tRPC, downloads, health, static files — passes the gate in server/gate
 * before the app sees it. This file only adapts Next's request and response to it. The two upload
 * routes are the exception (see `config` below): they run the same gate themselves.
 */
let gate: GateConfig | null = null;

export function proxy(request: NextRequest) {
  gate ??= gateConfigFromEnv(process.env);
  const decision = decide(
    { method: request.method, pathname: request.nextUrl.pathname, headers: request.headers },
    gate,
    newNonce(),
  );
  if (decision.kind === 'refuse') return refusalResponse(request.nextUrl.pathname, decision);
  const redirect = trailingSlashRedirect(request.nextUrl, decision.responseHeaders);
  if (redirect) return redirect;
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
