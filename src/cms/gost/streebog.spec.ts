import { Streebog, streebog } from './streebog.js';

/** RFC 6986 prints messages and digests as numbers, most significant byte first: reversed here. */
const rfc = (hex: string) => Buffer.from(hex, 'hex').reverse();

// RFC 6986 section 10.1: 63 ASCII digits, one byte short of a block.
const M1 = rfc('323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130');
// Section 10.2: 72 bytes (CP1251 text), a full block and an 8-byte tail.
const M2 = rfc(
  'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
);

const CASES: [string, Buffer, 256 | 512, string][] = [
  ['M1, 512', M1, 512, '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b'],
  ['M1, 256', M1, 256, '00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d'],
  ['M2, 512', M2, 512, '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e'],
  ['M2, 256', M2, 256, '508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d'],
];

describe('Streebog (GOST 34.11-2015 / RFC 6986)', () => {
  it.each(CASES)('RFC 6986 example %s', (_name, message, size, expected) => {
    expect(streebog(size, message).toString('hex')).toBe(rfc(expected).toString('hex'));
  });

  it('hashes the empty message as the GOST engine does', () => {
    expect(streebog(256, new Uint8Array(0)).toString('hex')).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
  });

  it('gives the same digest however the input is split', () => {
    const data = Buffer.alloc(1000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
    const whole = streebog(512, data).toString('hex');
    for (const cut of [1, 63, 64, 65, 127, 128, 500]) {
      const h = new Streebog(512);
      for (let at = 0; at < data.length; at += cut) h.update(data.subarray(at, Math.min(data.length, at + cut)));
      expect(h.digest().toString('hex')).toBe(whole);
    }
    expect(streebog(512, data.subarray(0, 10), data.subarray(10)).toString('hex')).toBe(whole);
  });

  it('refuses to be used after its digest was taken', () => {
    const h = new Streebog(256);
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow();
    expect(() => h.digest()).toThrow();
  });
});
