import net from 'node:net';

/**
 * IP addresses and CIDR ranges (v4 and v6) as TRUSTED_PROXIES lists them, and the canonical form
 * of an address so one client is one key however its address was written (`::ffff:10.0.0.1` is
 * `10.0.0.1`, `2001:DB8::1` is `2001:db8::1`).
 */

/** The canonical text of an IP address, or null when `raw` is not one. A v6 zone (`%eth0`) is dropped. */
export function canonicalIp(raw: string): string | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > 64) return null;
  if (net.isIPv4(s)) return s;
  const zone = s.indexOf('%');
  if (zone > 0) s = s.slice(0, zone);
  if (!net.isIPv6(s)) return null;
  // The URL parser prints the RFC 5952 form: lower case, longest zero run compressed.
  const host = new URL(`http://[${s}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return host;
}

/** The eight groups of a canonical v6 address, each as written (no leading zeros). */
function v6Groups(ip: string): string[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

/**
 * The bucket a client address is counted in: a v4 address itself, a v6 address's /64 (one
 * subscriber usually holds a whole /64, so counting single v6 addresses would let one client
 * rotate through 2^64 of them).
 */
export function addressBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  return `${v6Groups(ip).slice(0, 4).join(':')}::/64`;
}

export interface IpRanges {
  /** The entries as configured, canonical (for `proclens config` and logs). */
  readonly entries: readonly string[];
  contains(ip: string): boolean;
}

export const TRUSTED_PROXIES_MAX_ENTRIES = 64;
const RAW_MAX = 4096;

/** One IP or CIDR range; null when it is not one. */
function parseEntry(entry: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const slash = entry.indexOf('/');
  const ip = canonicalIp(slash === -1 ? entry : entry.slice(0, slash));
  if (!ip || (slash !== -1 && entry.slice(0, slash).includes('%'))) return null;
  const family = ip.includes(':') ? 'ipv6' : 'ipv4';
  const bits = family === 'ipv4' ? 32 : 128;
  if (slash === -1) return { network: ip, prefix: bits, family };
  const prefixText = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { network: ip, prefix, family } : null;
}

/**
 * Parses a list such as `127.0.0.1, 10.0.0.0/8 ::1 fd00::/8` (commas and/or spaces). Returns the
 * ranges, or one sentence saying which entry is wrong.
 */
export function parseIpRanges(raw: string): { ranges: IpRanges } | { error: string } {
  if (raw.length > RAW_MAX) return { error: `must be at most ${RAW_MAX} characters` };
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  if (parts.length > TRUSTED_PROXIES_MAX_ENTRIES)
    return { error: `lists ${parts.length} entries; at most ${TRUSTED_PROXIES_MAX_ENTRIES} are allowed` };
  const list = new net.BlockList();
  const entries: string[] = [];
  for (const part of parts) {
    const e = parseEntry(part);
    if (!e)
      return {
        error: `"${part.slice(0, 100)}" is not an IP address or a CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8)`,
      };
    list.addSubnet(e.network, e.prefix, e.family);
    entries.push(e.prefix === (e.family === 'ipv4' ? 32 : 128) ? e.network : `${e.network}/${e.prefix}`);
  }
  return {
    ranges: {
      entries,
      contains(ip: string) {
        const c = canonicalIp(ip);
        return c !== null && list.check(c, c.includes(':') ? 'ipv6' : 'ipv4');
      },
    },
  };
}
