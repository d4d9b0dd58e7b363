import { refusalBody, type GateRefusal } from './decide';

/**
 * The gate's answers as Web responses, shared by proxy.ts (every request but the uploads) and the
 * upload routes, which Next's proxy does not run for (see body-limits.ts): one gate, two doors.
 */

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function refusalResponse(pathname: string, decision: GateRefusal): Response {
  const { body, contentType } = refusalBody(pathname, decision.message);
  return new Response(body, {
    status: decision.status,
    headers: { ...decision.responseHeaders, 'content-type': contentType, 'cache-control': 'no-store' },
  });
}

/**
 * `/runs/` → 308 `/runs`, as Next would answer — but after the gate: next.config.ts sets
 * `skipTrailingSlashRedirect`, because Next's own redirect answers before the proxy runs (no Host
 * check, no security headers). Null when the path has no trailing slash.
 */
export function trailingSlashRedirect(url: URL, headers: Record<string, string>): Response | null {
  if (url.pathname === '/' || !url.pathname.endsWith('/')) return null;
  const target = new URL(url);
  // One leading slash only: `//host` would name another site.
  target.pathname = `/${url.pathname.replace(/^[/\\]+/, '').replace(/\/+$/, '')}`;
  // Absolute, as Next requires of a proxy's redirect; it sends it on as a path on this origin.
  return new Response(null, {
    status: 308,
    headers: { ...headers, location: target.href, 'cache-control': 'no-store' },
  });
}

/** The same response with the gate's headers added (a handler's own headers stay). */
export function withHeaders(res: Response, headers: Record<string, string>): Response {
  const merged = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) if (!merged.has(k)) merged.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
}
