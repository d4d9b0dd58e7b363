import { bodyTooLargeMessage, declaredBodyLength, proxiedBodyLimit } from './body-limits';
import type { GateConfig } from './config';

/**
 * The one request gate. proxy.ts hands every request's facts here; the answer is either "pass, with
 * these headers" or a refusal with a status and one sentence. Pure, so tests drive it directly and
 * over HTTP.
 *
 * Order of checks (the first that fails answers):
 *   1. Host allowlist                         → 421 (DNS rebinding)
 *   2. Origin / Sec-Fetch-Site on writes      → 403 (cross-site forms, no-cors fetches)
 *   3. tRPC mutation content type             → 415 (only application/json)
 *   4. tRPC batch size                        → 413
 *   5. declared body size (Content-Length)    → 413 (see body-limits.ts; routes count too)
 *   6. a chunked body through the proxy       → 411 (Next would cut it silently)
 * Hosted mode adds session and role checks in the procedure builders and route handlers, after
 * this gate: the gate decides whether a request may reach the app at all, not who the user is.
 */
export interface RequestFacts {
  method: string;
  pathname: string;
  headers: Headers;
}

export interface GateAllow {
  kind: 'allow';
  /** Set on the request the app sees (the nonce and the CSP Next reads it from). */
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
}

export interface GateRefusal {
  kind: 'refuse';
  status: 403 | 411 | 413 | 415 | 421;
  message: string;
  responseHeaders: Record<string, string>;
}

export type GateDecision = GateAllow | GateRefusal;

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const TRPC_PREFIX = '/api/trpc/';

/** The Content-Security-Policy for one response; scripts run only with this request's nonce. */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React and Radix set style attributes; styles cannot run code, so inline styles stay allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response carries, refusals included. */
export function securityHeaders(nonce: string, dev = false): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce, dev),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

function refuse(status: GateRefusal['status'], message: string, headers: Record<string, string>): GateRefusal {
  return { kind: 'refuse', status, message, responseHeaders: headers };
}

function hostList(config: GateConfig): string {
  return config.allowedHosts.join(', ');
}

/**
 * Number of procedures in a tRPC path such as `/api/trpc/runs.list,vt.settings`, counted the way
 * tRPC 11 counts them: it percent-decodes the path once, then splits it at commas (so `%2C`
 * separates calls too). Counted whether or not the query says `batch=1` — without it tRPC looks
 * the whole path up as one name — so the gate never counts fewer calls than tRPC runs.
 */
export function trpcCallCount(pathname: string): number {
  if (!pathname.startsWith(TRPC_PREFIX)) return 0;
  const raw = pathname.slice(TRPC_PREFIX.length).replace(/\/+$/, '');
  let procs: string;
  try {
    procs = decodeURIComponent(raw);
  } catch {
    // tRPC refuses a malformed escape with 400 before running anything; count what is visible.
    procs = raw.replace(/%2c/gi, ',');
  }
  return procs ? procs.split(',').length : 0;
}

export const CHUNKED_MESSAGE =
  'Send the request body with a Content-Length header; a chunked body is not accepted at this address.';

export function batchTooLargeMessage(max: number, calls: number): string {
  return `A batch may hold at most ${max} calls; this one has ${calls}. Split it up.`;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function decide(req: RequestFacts, config: GateConfig, nonce: string): GateDecision {
  const headers = securityHeaders(nonce, config.dev);
  const method = req.method.toUpperCase();

  const host = (req.headers.get('host') ?? '').trim().toLowerCase();
  if (!config.allowedHosts.includes(host)) {
    return refuse(
      421,
      `This ProcLens server answers only to ${hostList(config)}; ` +
        `to serve it under another name, set PROCLENS_PUBLIC_URL to that address and restart.`,
      headers,
    );
  }

  if (!SAFE_METHODS.has(method)) {
    const origin = req.headers.get('origin');
    if (origin !== null && !config.servedOrigins.includes(origin.trim().toLowerCase())) {
      return refuse(
        403,
        `Requests that change data are accepted only from ProcLens's own pages (${config.servedOrigins.join(', ')}), ` +
          `not from ${origin.slice(0, 200)}.`,
        headers,
      );
    }
    const site = (req.headers.get('sec-fetch-site') ?? '').trim().toLowerCase();
    if (site === 'cross-site' || site === 'same-site') {
      return refuse(
        403,
        "Requests that change data are accepted only from ProcLens's own pages, not from another site.",
        headers,
      );
    }
  }

  if (req.pathname.startsWith(TRPC_PREFIX)) {
    if (method === 'POST' && mediaType(req.headers.get('content-type')) !== 'application/json') {
      return refuse(415, 'ProcLens API calls that change data must be sent as application/json.', headers);
    }
    const calls = trpcCallCount(req.pathname);
    if (calls > config.maxBatch) return refuse(413, batchTooLargeMessage(config.maxBatch, calls), headers);
  }

  const limit = proxiedBodyLimit(req.pathname);
  const declared = declaredBodyLength(req.headers);
  if (limit !== null && declared !== null && declared > limit) return refuse(413, bodyTooLargeMessage(limit), headers);
  if (limit !== null && declared === null && req.headers.has('transfer-encoding')) {
    // Next's proxy cuts a body at a chunk boundary and ends it cleanly: without a declared length,
    // the route could not tell a cut body from a complete shorter one.
    return refuse(411, CHUNKED_MESSAGE, headers);
  }

  return {
    kind: 'allow',
    requestHeaders: { 'x-nonce': nonce, 'content-security-policy': headers['content-security-policy']! },
    responseHeaders: headers,
  };
}

/** The body of a refusal: JSON under /api (what scripts read), one line of text for pages. */
export function refusalBody(pathname: string, message: string): { body: string; contentType: string } {
  if (pathname.startsWith('/api/')) {
    return { body: JSON.stringify({ error: { message } }), contentType: 'application/json; charset=utf-8' };
  }
  return { body: `${message}\n`, contentType: 'text/plain; charset=utf-8' };
}
