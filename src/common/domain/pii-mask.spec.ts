import { maskIin, maskPhone } from './pii-mask.js';

describe('PII masks', () => {
  it('keeps the last four digits of an IIN', () => {
    expect(maskIin('900101300126')).toBe('********0126');
    expect(maskIin('123')).toBe('***');
    expect(maskIin(null)).toBeNull();
    expect(maskIin('')).toBeNull();
  });

  it('keeps the country, the operator and the last two digits of a phone', () => {
    expect(maskPhone('77011234567')).toBe('+7 701 •••-••-67');
    expect(maskPhone('+7 701 123 45 67')).toBe('+7 701 •••-••-67');
    expect(maskPhone('12345')).toBe('•••45');
    for (const masked of [maskIin('900101300126'), maskPhone('77011234567')]) expect(masked).not.toMatch(/\d{5}/);
  });
});
