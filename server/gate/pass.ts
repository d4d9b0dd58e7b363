import 'server-only';
import { decideAccess, type AccessDecision } from './access';
import { accessLookups, accessModeFromEnv } from './access-lookups';
import { gateConfigFromEnv, type GateConfig } from './config';
import { decide, refusalBody, type GateAllow } from './decide';
import { newNonce, refusalResponse, trailingSlashRedirect } from './respond';
import { logger } from '@/lib/logger';

/**
 * The whole gate for one request, in its one order: the request's shape (decide.ts: Host, Origin,
 * content type, batch and body size), then a trailing slash to the canonical path, then who may
 * reach it at all (access.ts: session or local access token). proxy.ts runs it for every request;
 * the two upload routes that Next's proxy skips (body-limits.ts) run it through `gateRoute`.
 */
export type GatePass = { kind: 'answer'; response: Response } | { kind: 'pass'; decision: GateAllow };

let gate: GateConfig | null = null;

async function access(method: string, url: URL, headers: Headers): Promise<AccessDecision> {
  try {
    return await decideAccess(
      { method, pathname: url.pathname, search: url.search, origin: url.origin },
      accessModeFromEnv(),
      accessLookups(headers),
    );
  } catch (e) {
    logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not check access');
    const message = 'ProcLens could not check who may open this. See the server log.';
    const { body, contentType } = refusalBody(url.pathname, message);
    return { kind: 'refuse', status: 503, body, contentType };
  }
}

export async function passGate(req: { method: string; url: URL; headers: Headers }): Promise<GatePass> {
  gate ??= gateConfigFromEnv(process.env);
  const decision = decide({ method: req.method, pathname: req.url.pathname, headers: req.headers }, gate, newNonce());
  if (decision.kind === 'refuse') return { kind: 'answer', response: refusalResponse(req.url.pathname, decision) };
  const redirect = trailingSlashRedirect(req.url, decision.responseHeaders);
  if (redirect) return { kind: 'answer', response: redirect };
  const allowed = await access(req.method, req.url, req.headers);
  if (allowed.kind === 'refuse') {
    const response = new Response(allowed.body || null, {
      status: allowed.status,
      headers: { ...decision.responseHeaders, 'content-type': allowed.contentType, 'cache-control': 'no-store' },
    });
    return { kind: 'answer', response };
  }
  if (allowed.kind === 'redirect') {
    // Next wants an absolute Location from the proxy; it sends a same-origin one as a path again.
    const location = new URL(allowed.location, req.url.origin).toString();
    const headers = new Headers({ ...decision.responseHeaders, location, 'cache-control': 'no-store' });
    if (allowed.setCookie) headers.append('set-cookie', allowed.setCookie);
    return { kind: 'answer', response: new Response(null, { status: 307, headers }) };
  }
  return { kind: 'pass', decision };
}
