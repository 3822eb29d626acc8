import * as asn1js from 'asn1js';
import { requestNonce } from './timestamp-authority.js';

/** The nonce's INTEGER as a request carries it: tag, length and content octets. */
function encoded(nonce: Buffer): Buffer {
  return Buffer.from(new asn1js.Integer({ valueHex: new Uint8Array(nonce).buffer }).toBER(false));
}

describe('requestNonce', () => {
  it('is a positive INTEGER in minimal DER whatever the random bytes (a TSA refuses padding)', () => {
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      for (const second of [0x00, 0x05, 0x7f, 0x80, 0xff]) {
        const nonce = requestNonce(Buffer.from([first, second, 1, 2, 3, 4, 5, 6]));
        const der = encoded(nonce);
        expect(der.subarray(0, 2)).toEqual(Buffer.from([0x02, 0x08]));
        const content = der.subarray(2);
        expect(content[0]).toBeGreaterThan(0x00); // no leading 0x00: minimal
        expect(content[0]).toBeLessThan(0x80); // positive
        expect(content.subarray(1)).toEqual(Buffer.from([second, 1, 2, 3, 4, 5, 6]));
      }
    }
  });
});
