/** Minimal DER encoding for the structures Kezek writes itself (merging SignedData). */

function lengthOctets(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** A definite-length TLV around already-encoded contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([Uint8Array.of(tag), lengthOctets(length), ...contents]);
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new Error(`bad OID ${oid}`);
  const body: number[] = [];
  const values = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  for (const value of values) {
    const septets: number[] = [];
    let n = value;
    do {
      septets.unshift(n % 128);
      n = Math.floor(n / 128);
    } while (n > 0);
    septets.forEach((septet, i) => body.push(i < septets.length - 1 ? septet | 0x80 : septet));
  }
  return tlv(0x06, Uint8Array.from(body));
}

export function encodeSmallInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new Error(`integer out of range: ${value}`);
  return tlv(0x02, Uint8Array.of(value));
}
