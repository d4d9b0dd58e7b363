import 'server-only';
import { getEnv } from '@/lib/env';
import { canonicalIp, type IpRanges } from '@/lib/ip-ranges';

/**
 * Who is on the other end of a request, for throttling and the log. Headers a client sends prove
 * nothing, so the answer starts at the TCP peer, which scripts/start.mjs stamps onto every request
 * (scripts/peer-address.mjs). X-Forwarded-For counts only when that peer is a proxy listed in
 * TRUSTED_PROXIES, read from the right (the entry the nearest proxy wrote) to the first address
 * that is not itself a trusted proxy.
 */

/** The one header Better Auth reads the client address from (server/auth/auth.ts); set by server/api/auth-route.ts. */
export const CLIENT_IP_HEADER = 'x-proclens-client-ip';

/** Same symbol as PEER_MARKER in scripts/peer-address.mjs (a test holds them together). */
export const PEER_MARKER = Symbol.for('proclens.peer-address-header');

/** The header the stamp writes, or null when this process was not started through scripts/start.mjs. */
export function stampedPeerHeader(): string | null {
  const v = (globalThis as Record<symbol, unknown>)[PEER_MARKER];
  return typeof v === 'string' ? v : null;
}

/** Forwarded entries looked at, from the right; a longer chain is a client padding it. */
const MAX_HOPS = 32;

export type ClientAddress =
  | { address: string; via: 'peer' | 'forwarded' }
  /** `unstamped`: no trustworthy peer; `proxy-without-client`: a trusted proxy named no client. */
  | { address: null; via: 'unstamped' | 'proxy-without-client' };

/** The pure rule: the peer, or (from a trusted proxy) the nearest untrusted forwarded address. */
export function resolveClientAddress(
  peer: string | null,
  forwardedFor: string | null,
  trusted: IpRanges | null,
): ClientAddress {
  const p = peer === null ? null : canonicalIp(peer);
  if (p === null) return { address: null, via: 'unstamped' };
  if (!trusted?.contains(p)) return { address: p, via: 'peer' };
  const hops = (forwardedFor ?? '').split(',').slice(-MAX_HOPS);
  for (let i = hops.length - 1; i >= 0; i--) {
    const raw = hops[i]!.trim();
    if (raw === '') continue;
    const hop = canonicalIp(raw);
    // A trusted proxy wrote this entry; if it is not an address, the chain says nothing usable.
    if (hop === null) break;
    if (!trusted.contains(hop)) return { address: hop, via: 'forwarded' };
  }
  // Every hop is a trusted proxy (or none was given: Next fills X-Forwarded-For with the peer when
  // it is missing). Counting the proxy's own address would put everyone behind it in one bucket.
  return { address: null, via: 'proxy-without-client' };
}

/** The client address of a request as this server sees it. */
export function clientAddressOf(headers: Headers): ClientAddress {
  const header = stampedPeerHeader();
  return resolveClientAddress(
    header ? headers.get(header) : null,
    headers.get('x-forwarded-for'),
    getEnv().trustedProxies,
  );
}
