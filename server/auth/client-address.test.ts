import { describe, expect, it } from 'vitest';
import { PEER_MARKER as STAMP_MARKER } from '@/scripts/peer-address.mjs';
import { parseIpRanges } from '@/lib/ip-ranges';
import { PEER_MARKER, resolveClientAddress } from './client-address';

const trusted = (raw: string) => {
  const r = parseIpRanges(raw);
  if ('error' in r) throw new Error(r.error);
  return r.ranges;
};

describe('the client address of a request', () => {
  it('reads the marker start.mjs sets', () => {
    expect(PEER_MARKER).toBe(STAMP_MARKER);
  });

  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('198.51.100.7', '203.0.113.1', null)).toEqual({
      address: '198.51.100.7',
      via: 'peer',
    });
    expect(resolveClientAddress('::ffff:127.0.0.1', '203.0.113.1', trusted('10.0.0.0/8'))).toEqual({
      address: '127.0.0.1',
      via: 'peer',
    });
  });

  it('is unknown without a stamped peer (a server not started through start.mjs)', () => {
    expect(resolveClientAddress(null, '203.0.113.1', trusted('127.0.0.1'))).toEqual({
      address: null,
      via: 'unstamped',
    });
    expect(resolveClientAddress('', '203.0.113.1', null).address).toBeNull();
  });

  it('behind a trusted proxy, is the nearest forwarded address that is not a trusted proxy', () => {
    const t = trusted('127.0.0.1, 10.0.0.0/8');
    // nginx's $proxy_add_x_forwarded_for appends what it saw to what the client sent.
    expect(resolveClientAddress('127.0.0.1', 'spoofed, 1.1.1.1, 203.0.113.9', t)).toEqual({
      address: '203.0.113.9',
      via: 'forwarded',
    });
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9, 10.1.2.3', t).address).toBe('203.0.113.9');
    expect(resolveClientAddress('127.0.0.1', ' 2001:DB8::5 ', t).address).toBe('2001:db8::5');
  });

  it('never counts the proxy itself: a trusted proxy that names no client leaves the address unknown', () => {
    const t = trusted('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', null, t)).toEqual({ address: null, via: 'proxy-without-client' });
    // Next fills a missing X-Forwarded-For with the peer.
    expect(resolveClientAddress('127.0.0.1', '127.0.0.1', t).address).toBeNull();
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9, garbage', t).address).toBeNull();
  });

  it('reads at most 32 forwarded entries', () => {
    const t = trusted('10.0.0.0/8');
    const chain = ['203.0.113.1', ...Array(40).fill('10.0.0.1')].join(',');
    expect(resolveClientAddress('10.0.0.1', chain, t).address).toBeNull();
  });
});
