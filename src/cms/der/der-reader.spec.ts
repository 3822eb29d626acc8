import { CmsFormatError } from '../cms.errors.js';
import { children, octetStringSegments, readOid, readString, readTime, readTlv } from './der-reader.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('DER/BER reader', () => {
  it('reads definite lengths, short and long', () => {
    const short = readTlv(hex('04 03 616263'), 0);
    expect(short).toMatchObject({ tag: 0x04, contentStart: 2, contentEnd: 5, end: 5, indefinite: false });
    const long = Buffer.concat([hex('04 82 0100'), Buffer.alloc(256, 7)]);
    expect(readTlv(long, 0)).toMatchObject({ contentStart: 4, contentEnd: 260, end: 260 });
  });

  it('reads indefinite lengths and the chunks of a constructed OCTET STRING', () => {
    // SEQUENCE (indef) { [0] (indef) { OCTET STRING (indef) { "ab", "cd" } } }
    const ber = hex('30 80 a0 80 24 80 04 02 6162 04 02 6364 0000 0000 0000');
    const root = readTlv(ber, 0);
    expect(root).toMatchObject({ indefinite: true, end: ber.length });
    const explicit = children(ber, root)[0];
    const octets = children(ber, explicit)[0];
    expect(Buffer.concat(octetStringSegments(ber, octets)).toString()).toBe('abcd');
  });

  it.each([
    ['truncated value', '04 05 6162'],
    ['truncated length', '04 82 01'],
    ['indefinite primitive', '04 80 0000'],
    ['unterminated indefinite', '30 80 04 01 61'],
    ['length over 4 octets', '04 85 0000000001 00'],
    ['empty input', ''],
  ])('refuses %s', (_name, bytes) => {
    expect(() => readTlv(hex(bytes), 0)).toThrow(CmsFormatError);
  });

  it('refuses indefinite forms nested beyond the cap without exhausting the stack', () => {
    const depth = 100_000;
    const bomb = Buffer.concat([Buffer.from('3080'.repeat(depth), 'hex'), Buffer.alloc(depth * 2)]);
    expect(() => readTlv(bomb, 0)).toThrow(/nested too deeply/);
  });

  it('decodes OIDs, including large arcs', () => {
    expect(readOid(hex('06 09 2a864886f70d010702'), readTlv(hex('06 09 2a864886f70d010702'), 0))).toBe('1.2.840.113549.1.7.2');
    const gost = hex('06 0a 2a830e030a0101010202');
    expect(readOid(gost, readTlv(gost, 0))).toBe('1.2.398.3.10.1.1.1.2.2');
    const bad = hex('06 02 2a86');
    expect(() => readOid(bad, readTlv(bad, 0))).toThrow(CmsFormatError);
  });

  it.each([
    ['17 0d 3236313132313232343235385a', '2026-11-21T22:42:58.000Z'],
    ['17 0d 3439313233313233353935395a', '2049-12-31T23:59:59.000Z'],
    ['17 0d 3530303130313030303030305a', '1950-01-01T00:00:00.000Z'],
    ['18 0f 32303530303130313030303030305a', '2050-01-01T00:00:00.000Z'],
    ['18 13 32303236303130313030303030302e3132335a', '2026-01-01T00:00:00.123Z'],
  ])('reads time %s', (bytes, iso) => {
    const b = hex(bytes);
    expect(readTime(b, readTlv(b, 0)).toISOString()).toBe(iso);
  });

  it('refuses impossible dates', () => {
    const b = hex('17 0d 3236303233303030303030305a'); // 2026-02-30
    expect(() => readTime(b, readTlv(b, 0))).toThrow(CmsFormatError);
  });

  it('decodes the string types of names', () => {
    const utf8 = Buffer.concat([hex('0c 0a'), Buffer.from('ИВАНОВ', 'utf8').subarray(0, 10)]);
    expect(readString(utf8, readTlv(utf8, 0))).toBe('ИВАНО');
    const bmp = hex('1e 04 0418 0412');
    expect(readString(bmp, readTlv(bmp, 0))).toBe('ИВ');
    const printable = hex('13 02 4b5a');
    expect(readString(printable, readTlv(printable, 0))).toBe('KZ');
  });
});
