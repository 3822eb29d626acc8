import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { maskPii, maskPiiDeep } from './pii.js';

describe('maskPii', () => {
  it.each([
    ['IIN 900101300123 signed', 'IIN ********0123 signed'],
    ['phone 77011234567', 'phone 7*******4567'],
    ['phone +7 701 123 45 67', 'phone 7*******4567'],
    ['key kzk_ab12cd34_secretpart', 'key kzk_***'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
    ['order 123456 stays', 'order 123456 stays'],
    ['GET /s/sNyGF8uHUyigwCJ_z7G1yAZE_aWy5D895gTrA92KnGA/return', 'GET /s/***/return'],
  ])('%s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it('logs errors as masked text', () => {
    const error = Object.assign(new Error('duplicate key (iin)=(900101300126)'), { code: '23505', parameters: ['900101300126'] });
    const masked = maskPiiDeep(error) as Record<string, unknown>;
    expect(masked).toMatchObject({ type: 'Error', message: 'duplicate key (iin)=(********0126)', code: '23505' });
    expect(JSON.stringify(masked)).not.toContain('900101300126');
  });

  it('masks nested values and secret-named fields', () => {
    expect(maskPiiDeep({ signer: { iin: '900101300123' }, headers: { authorization: 'Bearer x' } })).toEqual({
      signer: { iin: '********0123' },
      headers: { authorization: '***' },
    });
  });

  it('leaves requests and responses to the serializers, untouched and uncopied', () => {
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    const masked = maskPiiDeep({ res: response, note: 'IIN 900101300123' }) as Record<string, unknown>;
    expect(masked.res).toBe(response);
    expect(masked.note).toBe('IIN ********0123');
  });
});
