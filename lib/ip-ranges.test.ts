import { describe, expect, it } from 'vitest';
import { addressBucket, canonicalIp, parseIpRanges, TRUSTED_PROXIES_MAX_ENTRIES } from './ip-ranges';

function ranges(raw: string) {
  const r = parseIpRanges(raw);
  if ('error' in r) throw new Error(r.error);
  return r.ranges;
}

describe('IP addresses and ranges', () => {
  it('writes one address one way', () => {
    expect(canonicalIp(' 10.0.0.1 ')).toBe('10.0.0.1');
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    for (const bad of ['', 'unknown', '1.2.3.4:80', '[::1]', '01.2.3.4', '1.2.3', '999.1.1.1', 'a'.repeat(100)])
      expect(canonicalIp(bad), bad).toBeNull();
  });

  it('counts a v6 client by its /64, a v4 client by its address', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('matches IPs and CIDR ranges, v4 and v6, separated by commas or spaces', () => {
    const r = ranges('127.0.0.1, 10.0.0.0/8  ::1,fd00::/8');
    expect(r.entries).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '10.200.3.4', '::1', 'fd12:3456::1'])
      expect(r.contains(ip), ip).toBe(true);
    for (const ip of ['127.0.0.2', '11.0.0.1', '::2', 'fe80::1', 'nonsense']) expect(r.contains(ip), ip).toBe(false);
  });

  it('names the entry that is not an address or a range', () => {
    for (const bad of [
      '10.0.0.300',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.0/x',
      'proxy.local',
      '10.0.0.0/-1',
      '10.0.0.0/',
    ]) {
      const r = parseIpRanges(`127.0.0.1, ${bad}`);
      expect('error' in r && r.error, bad).toMatch(
        new RegExp(`"${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not an IP address or a CIDR range`),
      );
    }
    expect(
      parseIpRanges(
        Array(TRUSTED_PROXIES_MAX_ENTRIES + 1)
          .fill('10.0.0.1')
          .join(','),
      ),
    ).toMatchObject({
      error: expect.stringMatching(/at most 64/),
    });
  });
});
