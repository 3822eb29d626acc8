import { isIP } from 'node:net';

/**
 * Whom Express believes about `X-Forwarded-For` (its 'trust proxy' setting): `false` (nobody: the socket's
 * peer is the client), a number of proxy hops in front of Kezek, or the proxies' addresses and CIDR ranges
 * (Express's names `loopback`, `linklocal`, `uniquelocal` too). Trusting every hop (`true`) is refused: the
 * client would choose its own address, and with it its rate limit and what the audit trail records.
 */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return isIP(prefix) === 4; // a netmask such as 255.255.255.0
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Parses TRUST_PROXY; returns an error message for a value it refuses. */
export function parseTrustProxy(value: string): TrustProxy | { error: string } {
  const text = value.trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') {
    return { error: 'true would trust every hop, so clients could forge their address: give the number of proxies in front of Kezek (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)' };
  }
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  const wrong = entries.filter((e) => !validRange(e));
  if (entries.length === 0 || wrong.length > 0) {
    return { error: `expected false, a hop count (1-99), or addresses/CIDR ranges separated by commas (loopback, linklocal, uniquelocal allowed); not understood: ${wrong.join(', ') || text}` };
  }
  return entries;
}

/**
 * The key a client is counted under: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
 * usually holds a whole /64 and could otherwise rotate through 2^64 addresses, each with a fresh limit).
 */
export function clientBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 tail converted). */
function expandIpv6(ip: string): string[] {
  let address = ip.split('%')[0].toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    address = `${address.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => (parseInt(g, 16) || 0).toString(16));
}
