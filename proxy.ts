import { NextResponse, type NextRequest } from 'next/server';
import { decide, gateConfigFromEnv, refusalBody, type GateConfig } from '@/server/gate';

/**
 * Every request — pages, tRPC, downloads, ingest, health, static files — passes the gate in
 * server/gate before the app sees it. This file only adapts Next's request and response to it.
 */
let config: GateConfig | null = null;

function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}

export function proxy(request: NextRequest) {
  config ??= gateConfigFromEnv(process.env);
  const decision = decide(
    { method: request.method, pathname: request.nextUrl.pathname, headers: request.headers },
    config,
    newNonce(),
  );
  if (decision.kind === 'refuse') {
    const { body, contentType } = refusalBody(request.nextUrl.pathname, decision.message);
    return new NextResponse(body, {
      status: decision.status,
      headers: { ...decision.responseHeaders, 'content-type': contentType, 'cache-control': 'no-store' },
    });
  }
  const requestHeaders = new Headers(request.headers);
  for (const [k, v] of Object.entries(decision.requestHeaders)) requestHeaders.set(k, v);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(decision.responseHeaders)) response.headers.set(k, v);
  return response;
}
