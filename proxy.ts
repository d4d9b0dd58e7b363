import { NextResponse, type NextRequest } from 'next/server';
import { passGate } from '@/server/gate';

/**
 * Every request — pages, tRPC, downloads, health, static files — passes the gate in server/gate
 * (passGate: the request's shape, then who may reach it) before the app sees it. This file only
 * adapts Next's request and response to it. The two upload routes are the exception (see `config`
 * below): they run the same gate themselves through `gateRoute`.
 */
export async function proxy(request: NextRequest) {
  const pass = await passGate({ method: request.method, url: request.nextUrl, headers: request.headers });
  if (pass.kind === 'answer') return pass.response;
  const requestHeaders = new Headers(request.headers);
  for (const [k, v] of Object.entries(pass.decision.requestHeaders)) requestHeaders.set(k, v);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(pass.decision.responseHeaders)) response.headers.set(k, v);
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
