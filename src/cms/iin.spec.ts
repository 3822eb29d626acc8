import { isValidIin, parseIin } from './iin.js';

/**
 * The check digit computed here from the rule's text, independently of iin.ts: digits 1..11 weighted
 * 1..11 mod 11; if 10, weighted 3..11,1,2 mod 11; if 10 again there is no valid IIN.
 */
function checkDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += digits[i] * (i + 1);
  if (sum % 11 !== 10) return sum % 11;
  const second = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  sum = 0;
  for (let i = 0; i < 11; i++) sum += digits[i] * second[i];
  return sum % 11 === 10 ? null : sum % 11;
}

/** Deterministic pseudo-random numbers so that a failure can be replayed. */
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2147483648;
    yield state;
  }
}

interface Generated {
  iin: string;
  birthDate: string;
  sex: 'male' | 'female';
  firstPassWasTen: boolean;
}

function generate(count: number, seed: number): Generated[] {
  const out: Generated[] = [];
  const random = numbers(seed);
  const next = (n: number) => random.next().value % n;
  while (out.length < count) {
    const centuryDigit = 1 + next(6);
    const century = [1800, 1900, 2000][Math.floor((centuryDigit - 1) / 2)];
    const yy = next(100);
    const month = 1 + next(12);
    const day = 1 + next(new Date(Date.UTC(century + yy, month, 0)).getUTCDate());
    const serial = String(next(10000)).padStart(4, '0');
    const first11 = `${String(yy).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${centuryDigit}${serial}`;
    const check = checkDigit(first11);
    if (check === null) continue;
    const plain = [...first11].reduce((sum, d, i) => sum + Number(d) * (i + 1), 0) % 11;
    out.push({
      iin: `${first11}${check}`,
      birthDate: `${century + yy}-${first11.slice(2, 4)}-${first11.slice(4, 6)}`,
      sex: centuryDigit % 2 === 1 ? 'male' : 'female',
      firstPassWasTen: plain === 10,
    });
  }
  return out;
}

describe('IIN rules', () => {
  // Worked by hand:
  // 900101 3 0001 → 9·1+0·2+0·3+1·4+0·5+1·6+3·7+0·8+0·9+0·10+1·11 = 51; 51 mod 11 = 7.
  // 010517 6 0234 → 0+2+0+20+5+42+42+0+18+30+44 = 203; 203 mod 11 = 5.
  // 850615 4 0070 → 8+10+0+24+5+30+28+0+0+70+0 = 175; mod 11 = 10, so the second weights:
  //                 24+20+0+36+7+40+36+0+0+7+0 = 170; 170 mod 11 = 5.
  it.each([
    ['900101300017', '1990-01-01', 'male'],
    ['010517602345', '2001-05-17', 'female'],
    ['850615400705', '1985-06-15', 'female'],
  ])('accepts the hand-checked %s (born %s, %s)', (iin, birthDate, sex) => {
    expect(parseIin(iin)).toEqual({ valid: true, birthDate, sex });
    expect(isValidIin(iin)).toBe(true);
  });

  it.each([
    ['', 'exactly 12 digits'],
    ['90010130001', 'exactly 12 digits'],
    ['9001013000170', 'exactly 12 digits'],
    ['90010130001a', 'exactly 12 digits'],
    [' 900101300017', 'exactly 12 digits'],
    ['900101300018', 'wrong check digit'],
    ['900101000017', 'digit 7'],
    ['900101700017', 'digit 7'],
    ['901301300017', 'not a date'],
    ['900230300017', 'not a date'],
    ['900100300017', 'not a date'],
    // 29 February exists in 2000 (leap) but not in 1900.
    ['000229300017', 'not a date'],
    // NCA test certificates use IIN123456789011: digit 7 is 7 (and month 34 is no month).
    ['123456789011', 'digit 7'],
  ])('refuses %p (%s)', (iin, reason) => {
    const result = parseIin(iin);
    expect(result.valid).toBe(false);
    expect(result.reason).toContain(reason);
    expect(result.birthDate).toBeUndefined();
    expect(isValidIin(iin)).toBe(false);
  });

  it('refuses digits for which neither pass gives a check digit', () => {
    // Search the numbers born 1977-03-03 for ones where both passes give 10.
    const impossible: string[] = [];
    for (let serial = 0; serial < 10000 && impossible.length < 3; serial++) {
      const first11 = `7703033${String(serial).padStart(4, '0')}`;
      if (checkDigit(first11) === null) impossible.push(first11);
    }
    expect(impossible.length).toBeGreaterThan(0);
    for (const first11 of impossible) {
      for (let last = 0; last <= 9; last++) {
        expect(parseIin(`${first11}${last}`)).toMatchObject({ valid: false, reason: expect.stringContaining('no check digit') });
      }
    }
  });

  it('accepts every generated IIN with its birth date and sex, including second-pass check digits', () => {
    const generated = generate(2000, 42);
    expect(generated.some((g) => g.firstPassWasTen)).toBe(true);
    for (const g of generated) {
      expect(parseIin(g.iin)).toEqual({ valid: true, birthDate: g.birthDate, sex: g.sex });
    }
  });

  it('refuses every generated IIN with another check digit', () => {
    for (const g of generate(500, 7)) {
      const wrong = (Number(g.iin[11]) + 1 + (g.iin.charCodeAt(0) % 9)) % 10;
      expect(isValidIin(`${g.iin.slice(0, 11)}${wrong}`)).toBe(false);
    }
  });

  it('refuses values that are not strings', () => {
    expect(isValidIin(900101300017 as unknown as string)).toBe(false);
    expect(isValidIin(undefined as unknown as string)).toBe(false);
  });
});
