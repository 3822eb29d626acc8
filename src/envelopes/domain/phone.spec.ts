import { normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it.each([
    ['77011234567', '77011234567'],
    ['+7 701 123 45 67', '77011234567'],
    ['+7 (701) 123-45-67', '77011234567'],
    ['8 701 123 45 67', '77011234567'],
    ['7011234567', '77011234567'],
  ])('%s → %s', (input, expected) => expect(normalisePhone(input)).toBe(expected));

  it.each(['', '+7 495 123 45 67', '701123456', '770112345678', 'phone', '+1 701 123 45 67', '77011234567x'])('rejects %p', (input) =>
    expect(normalisePhone(input)).toBeUndefined(),
  );
});
