/**
 * What kind of network address a webhook target resolves to, so that endpoints cannot be pointed at the
 * service's own network (SSRF): loopback, private ranges, cloud metadata (link-local) and the like.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'cgnat'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** Classes allowed only with the development setting WEBHOOKS_ALLOW_PRIVATE. */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link-local', 'unique-local', 'cgnat', 'reserved']);

export function isAddressAllowed(cls: AddressClass, allowPrivate: boolean): boolean {
  return cls === 'public' || (allowPrivate && PRIVATE_CLASSES.has(cls));
}

export function classifyAddress(address: string): AddressClass {
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return classifyIPv4(v4);
  const v6 = parseIPv6(address);
  if (v6 !== undefined) return classifyIPv6(v6);
  return 'invalid';
}

type Range4 = [base: string, prefix: number, cls: AddressClass];

// Most specific first; anything not listed is public.
const IPV4_RANGES: Range4[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function classifyIPv4(value: number): AddressClass {
  for (const [base, prefix, cls] of IPV4_RANGES) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (((value & mask) >>> 0) === parseIPv4(base)) return cls;
  }
  return 'public';
}

type Range6 = [base: string, prefix: number, cls: AddressClass | 'embedded-v4-low' | 'embedded-v4-6to4'];

const IPV6_RANGES: Range6[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'embedded-v4-low'], // IPv4-mapped: the socket talks IPv4 to the embedded address
  ['64:ff9b::', 96, 'embedded-v4-low'], // NAT64: a translator forwards to the embedded address
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['::', 96, 'reserved'], // IPv4-compatible, deprecated
  ['100::', 64, 'reserved'], // discard
  ['2001::', 32, 'reserved'], // Teredo
  ['2001:db8::', 32, 'reserved'], // documentation
  ['2002::', 16, 'embedded-v4-6to4'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local, deprecated
  ['ff00::', 8, 'multicast'],
];

function classifyIPv6(value: bigint): AddressClass {
  for (const [base, prefix, cls] of IPV6_RANGES) {
    const shift = BigInt(128 - prefix);
    if (value >> shift !== (parseIPv6(base) as bigint) >> shift) continue;
    if (cls === 'embedded-v4-low') return classifyIPv4(Number(value & 0xffffffffn));
    if (cls === 'embedded-v4-6to4') return classifyIPv4(Number((value >> 80n) & 0xffffffffn));
    return cls;
  }
  // Global unicast is 2000::/3; the rest of the space is unassigned.
  return value >> 125n === 1n ? 'public' : 'reserved';
}

/** Dotted quad only (what resolvers and the URL parser produce); undefined for anything else. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Any textual IPv6 form (`::` compression, embedded dotted quad, `[…]`, zone id); undefined when not one. */
export function parseIPv6(text: string): bigint | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;

  // An embedded dotted quad (::ffff:1.2.3.4) becomes the two hex groups it stands for.
  const lastColon = s.lastIndexOf(':');
  const dotted = s.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const v4 = parseIPv4(dotted);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }

  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parseGroups(halves[0]);
  const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
  } else {
    if (explicit !== 8) return undefined;
    groups = head;
  }
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}
