import { maskPii, maskPiiDeep } from './pii.js';

describe('maskPii', () => {
  it.each([
    ['IIN 900101300123 signed', 'IIN ********0123 signed'],
    ['phone 77011234567', 'phone 7*******4567'],
    ['phone +7 701 123 45 67', 'phone 7*******4567'],
    ['key kzk_ab12cd34_secretpart', 'key kzk_***'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
    ['order 123456 stays', 'order 123456 stays'],
  ])('%s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it('masks nested values and secret-named fields', () => {
    expect(maskPiiDeep({ signer: { iin: '900101300123' }, headers: { authorization: 'Bearer x' } })).toEqual({
      signer: { iin: '********0123' },
      headers: { authorization: '***' },
    });
  });
});
