/**
 * How large a request body may be, per route. Pure: proxy.ts, next.config.ts and the route handlers
 * read the same table.
 *
 * Next's proxy reads a request's body whole before it answers — up to
 * `experimental.proxyClientMaxBodySize`, silently cutting the rest — even when the answer is a
 * refusal (verified on next 16.4.5: a 421 for a 30 MB body waits for all 30 MB). Bodies that pass
 * the proxy are therefore kept small. The two upload routes (STREAMED_ROUTES) are left out of the
 * proxy: they run the same gate themselves and read their bodies as they arrive, against their own
 * limits (INGEST_MAX_MB; the import limit plus the form's framing), after checking credentials.
 */
const KIB = 1024;
const MIB = 1024 * KIB;

/** A tRPC request: a batch of at most 20 small inputs (the longest field is a 2,000-character note). */
export const TRPC_BODY_MAX_BYTES = 1 * MIB;
/** Sign-in and the other Better Auth calls: an e-mail address and a password. */
export const AUTH_BODY_MAX_BYTES = 16 * KIB;
/** Every other address through the proxy takes no body at all. */
export const OTHER_BODY_MAX_BYTES = 64 * KIB;

/** Routes that read their own (large) bodies and are not run through the proxy (see proxy.ts). */
export const STREAMED_ROUTES = ['/api/ingest', '/api/imports'] as const;

export function isStreamedRoute(pathname: string): boolean {
  return (STREAMED_ROUTES as readonly string[]).includes(pathname);
}

/** The body limit for a path through the proxy; null for a streamed route (it applies its own). */
export function proxiedBodyLimit(pathname: string): number | null {
  if (isStreamedRoute(pathname)) return null;
  if (pathname.startsWith('/api/trpc/')) return TRPC_BODY_MAX_BYTES;
  if (pathname.startsWith('/api/auth/')) return AUTH_BODY_MAX_BYTES;
  return OTHER_BODY_MAX_BYTES;
}

/**
 * What Next's proxy buffers: one byte more than the largest proxied limit, so a body whose declared
 * length is within its route's limit is never cut. Next cuts a longer body at the last whole chunk
 * before this size and ends it cleanly — it may then parse as a shorter valid one — so the gate
 * refuses a declared length over the limit (413) and a body without one (chunked: 411), and the
 * route checks that what arrived is exactly what was declared.
 */
export const PROXY_BODY_BUFFER_BYTES = Math.max(TRPC_BODY_MAX_BYTES, AUTH_BODY_MAX_BYTES, OTHER_BODY_MAX_BYTES) + 1;

/** The declared Content-Length, or null when there is none (a chunked body) or it is not a number. */
export function declaredBodyLength(headers: Headers): number | null {
  const raw = headers.get('content-length');
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null;
  return Number(raw);
}

/** `1 MiB`, `64 KiB`, `32 MiB`: limits as people configure them. */
export function formatBytes(n: number): string {
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % KIB === 0) return `${n / KIB} KiB`;
  return `${n.toLocaleString('en-US')} bytes`;
}

export function bodyTooLargeMessage(limit: number): string {
  return `The request body is larger than this address accepts (${formatBytes(limit)}).`;
}
