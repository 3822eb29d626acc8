import { CmsFormatError } from '../cms.errors.js';

/**
 * A zero-copy reader of DER and BER (definite and indefinite lengths). It never builds objects for values:
 * a TLV is a set of offsets into the caller's buffer, so locating a 5 MB content costs the same as locating
 * a 5-byte one. Every read checks its bounds and throws CmsFormatError, never reads past `limit`, and caps
 * the nesting of indefinite-length forms (the only place it recurses).
 */
export interface Tlv {
  /** The first identifier octet (class, constructed bit and, for low tag numbers, the number). */
  readonly tag: number;
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly contentStart: number;
  /** End of the contents (exclusive; before the end-of-contents octets of an indefinite form). */
  readonly contentEnd: number;
  /** Offset after the whole element (after the end-of-contents octets of an indefinite form). */
  readonly end: number;
  readonly indefinite: boolean;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONSTRUCTED_OCTET_STRING: 0x24,
} as const;

/** Nesting of BER indefinite-length forms we follow before calling the input hostile. */
export const MAX_BER_DEPTH = 64;

/**
 * Elements walked to find the ends of indefinite-length forms, per buffer. Real BER (OpenSSL streams 4 KB
 * chunks, pkijs 64 KB, BouncyCastle 1 KB) stays far below; a 64 MB input made of 2-byte elements does not.
 */
export const MAX_BER_STEPS = 4_000_000;

/** Most pieces a BER OCTET STRING may be split into (the segment views cost memory). */
export const MAX_OCTET_STRING_SEGMENTS = 1 << 18;

/**
 * Ends of indefinite-length elements already walked, per buffer: reading an element and then its children
 * would otherwise walk nested indefinite forms again at every level.
 */
const indefiniteEnds = new WeakMap<Uint8Array, { ends: Map<number, number>; steps: number }>();

/**
 * Forgets what was learnt about `buf`: to call before parsing a buffer that may have changed since it was
 * last read (the remembered ends assume unchanged bytes), and it restarts the step budget.
 */
export function startReading(buf: Uint8Array): void {
  indefiniteEnds.delete(buf);
}

export function fail(message: string): never {
  throw new CmsFormatError(message);
}

/** Reads the element at `offset`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length, depth = 0): Tlv {
  if (depth > MAX_BER_DEPTH) fail('ASN.1 structure nested too deeply');
  if (offset >= limit) fail(`truncated ASN.1 data at offset ${offset}`);
  const tag = buf[offset];
  let pos = offset + 1;
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    let byte: number;
    let count = 0;
    do {
      if (pos >= limit) fail(`truncated tag at offset ${offset}`);
      byte = buf[pos++];
      tagNumber = tagNumber * 128 + (byte & 0x7f);
      if (++count > 4) fail(`tag number too large at offset ${offset}`);
    } while (byte & 0x80);
  }
  if (pos >= limit) fail(`truncated length at offset ${offset}`);
  const first = buf[pos++];
  const constructed = (tag & 0x20) !== 0;
  if (first === 0x80) {
    if (!constructed) fail(`indefinite length on a primitive value at offset ${offset}`);
    const contentStart = pos;
    let memo = indefiniteEnds.get(buf);
    if (!memo) indefiniteEnds.set(buf, (memo = { ends: new Map(), steps: 0 }));
    let cursor = memo.ends.get(offset);
    if (cursor === undefined || cursor + 2 > limit) {
      cursor = pos;
      for (;;) {
        if (cursor + 2 > limit) fail(`unterminated indefinite-length value at offset ${offset}`);
        if (buf[cursor] === 0 && buf[cursor + 1] === 0) break;
        if (++memo.steps > MAX_BER_STEPS) fail('too many ASN.1 elements in indefinite-length values');
        cursor = readTlv(buf, cursor, limit, depth + 1).end;
      }
      memo.ends.set(offset, cursor);
    }
    return { tag, tagClass: tag >> 6, constructed, tagNumber, start: offset, contentStart, contentEnd: cursor, end: cursor + 2, indefinite: true };
  }
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const octets = first & 0x7f;
    if (octets > 4 || octets === 0x7f) fail(`length too large at offset ${offset}`);
    if (pos + octets > limit) fail(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[pos++];
  }
  const contentEnd = pos + length;
  if (contentEnd > limit) fail(`truncated ASN.1 value at offset ${offset}: needs ${length} bytes, ${limit - pos} left`);
  return { tag, tagClass: tag >> 6, constructed, tagNumber, start: offset, contentStart: pos, contentEnd, end: contentEnd, indefinite: false };
}

/** The elements inside a constructed value. */
export function children(buf: Uint8Array, parent: Tlv, max = Number.MAX_SAFE_INTEGER): Tlv[] {
  if (!parent.constructed) fail(`expected a constructed value at offset ${parent.start}`);
  const out: Tlv[] = [];
  let cursor = parent.contentStart;
  while (cursor < parent.contentEnd) {
    const child = readTlv(buf, cursor, parent.contentEnd);
    out.push(child);
    if (out.length > max) fail(`too many elements at offset ${parent.start} (more than ${max})`);
    cursor = child.end;
  }
  return out;
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) fail(`missing ${what}`);
  if (tlv.tag !== tag) fail(`${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)} at offset ${tlv.start}`);
  return tlv;
}

/** The content octets of a primitive value, as a view (no copy). */
export function contentOf(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.contentStart, tlv.contentEnd);
}

/** The whole encoding of an element, as a view (no copy). */
export function encodingOf(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.start, tlv.end);
}

export function readOid(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== TAG.OID) expectTag(tlv, TAG.OID, 'object identifier');
  const { contentStart: start, contentEnd: end } = tlv;
  if (start === end || buf[end - 1] & 0x80) fail(`malformed object identifier at offset ${tlv.start}`);
  let text = '';
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i];
    value = value * 128 + (byte & 0x7f);
    if (value > 0xffffffffff) fail(`object identifier arc too large at offset ${tlv.start}`);
    if (byte & 0x80) continue;
    if (text === '') {
      const first = value < 80 ? (value / 40) | 0 : 2;
      text = `${first}.${value - first * 40}`;
    } else {
      text += `.${value}`;
    }
    value = 0;
  }
  return text;
}

/** INTEGER content bytes as lowercase hex, without the sign-padding zero byte. */
export function integerHex(buf: Uint8Array, tlv: Tlv): string {
  expectTag(tlv, TAG.INTEGER, 'integer');
  let start = tlv.contentStart;
  if (start === tlv.contentEnd) fail(`empty integer at offset ${tlv.start}`);
  while (start < tlv.contentEnd - 1 && buf[start] === 0) start++;
  return asBuffer(buf).toString('hex', start, tlv.contentEnd);
}

/** A small non-negative INTEGER (versions, lengths). */
export function smallInteger(buf: Uint8Array, tlv: Tlv): number {
  expectTag(tlv, TAG.INTEGER, 'integer');
  const length = tlv.contentEnd - tlv.contentStart;
  if (length === 0 || length > 4 || buf[tlv.contentStart] & 0x80) fail(`integer out of range at offset ${tlv.start}`);
  let value = 0;
  for (let i = tlv.contentStart; i < tlv.contentEnd; i++) value = value * 256 + buf[i];
  return value;
}

/** BIT STRING contents without the unused-bits octet. */
export function bitStringBytes(buf: Uint8Array, tlv: Tlv): { bytes: Uint8Array; unusedBits: number } {
  expectTag(tlv, TAG.BIT_STRING, 'bit string');
  if (tlv.contentEnd === tlv.contentStart) fail(`empty bit string at offset ${tlv.start}`);
  const unusedBits = buf[tlv.contentStart];
  if (unusedBits > 7) fail(`bad bit string at offset ${tlv.start}`);
  return { bytes: buf.subarray(tlv.contentStart + 1, tlv.contentEnd), unusedBits };
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    value = value * 10 + c;
  }
  return value;
}

/** UTCTime or GeneralizedTime (UTC, the forms RFC 5280 and 5652 allow, plus fractions and offsets). */
export function readTime(buf: Uint8Array, tlv: Tlv): Date {
  if (tlv.tag !== TAG.UTC_TIME && tlv.tag !== TAG.GENERALIZED_TIME) fail(`expected a time at offset ${tlv.start}`);
  const text = asBuffer(buf).toString('latin1', tlv.contentStart, tlv.contentEnd);
  const match = (tlv.tag === TAG.UTC_TIME ? /^(\d{10})(\d{2})?(Z|[+-]\d{4})$/ : /^(\d{12})(\d{2})?(?:[.,](\d{1,9}))?(Z|[+-]\d{4})$/).exec(text);
  if (!match) fail(`malformed time "${text.slice(0, 40)}" at offset ${tlv.start}`);
  let year: number;
  let rest: string;
  if (tlv.tag === TAG.UTC_TIME) {
    const yy = digits(match[1], 0, 2);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = match[1].slice(2);
  } else {
    year = digits(match[1], 0, 4);
    rest = match[1].slice(4);
  }
  const month = digits(rest, 0, 2);
  const day = digits(rest, 2, 2);
  const hour = digits(rest, 4, 2);
  const minute = digits(rest, 6, 2);
  const second = match[2] ? digits(match[2], 0, 2) : 0;
  const fraction = tlv.tag === TAG.GENERALIZED_TIME && match[3] ? Number(`0.${match[3]}`) * 1000 : 0;
  const zone = tlv.tag === TAG.UTC_TIME ? match[3] : match[4];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) fail(`invalid time "${text}"`);
  let millis = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(fraction));
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) fail(`invalid date "${text}"`);
  if (zone !== 'Z') {
    const sign = zone[0] === '+' ? 1 : -1;
    millis -= sign * (digits(zone, 1, 2) * 60 + digits(zone, 3, 2)) * 60_000;
  }
  return new Date(millis);
}

/** The directory string types found in certificate names, decoded to text. */
export function readString(input: Uint8Array, tlv: Tlv): string {
  const buf = asBuffer(input);
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      return buf.toString('utf8', tlv.contentStart, tlv.contentEnd);
    case TAG.BMP_STRING: {
      if ((tlv.contentEnd - tlv.contentStart) % 2) fail(`bad BMPString at offset ${tlv.start}`);
      return Buffer.from(buf.subarray(tlv.contentStart, tlv.contentEnd)).swap16().toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      if ((tlv.contentEnd - tlv.contentStart) % 4) fail(`bad UniversalString at offset ${tlv.start}`);
      let text = '';
      for (let i = tlv.contentStart; i < tlv.contentEnd; i += 4) text += String.fromCodePoint(Math.min(buf.readUInt32BE(i), 0x10ffff));
      return text;
    }
    default:
      if (tlv.constructed) fail(`constructed string at offset ${tlv.start}`);
      return buf.toString('latin1', tlv.contentStart, tlv.contentEnd);
  }
}

/**
 * The primitive pieces of an OCTET STRING, primitive or constructed (BER allows chunks, themselves possibly
 * constructed). Views into `buf`, in order; nothing is copied.
 */
export function octetStringSegments(buf: Uint8Array, tlv: Tlv, out: Uint8Array[] = [], depth = 0): Uint8Array[] {
  if (depth > MAX_BER_DEPTH) fail('OCTET STRING nested too deeply');
  if (tlv.tag === TAG.OCTET_STRING) {
    if (out.length >= MAX_OCTET_STRING_SEGMENTS) fail(`OCTET STRING split into more than ${MAX_OCTET_STRING_SEGMENTS} pieces`);
    out.push(buf.subarray(tlv.contentStart, tlv.contentEnd));
    return out;
  }
  if (tlv.tag !== TAG.CONSTRUCTED_OCTET_STRING) fail(`expected an OCTET STRING at offset ${tlv.start}`);
  let cursor = tlv.contentStart;
  while (cursor < tlv.contentEnd) {
    const child = readTlv(buf, cursor, tlv.contentEnd);
    octetStringSegments(buf, child, out, depth + 1);
    cursor = child.end;
  }
  return out;
}

/** A view of `buf` as a Buffer (no copy), for its string and comparison helpers. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
