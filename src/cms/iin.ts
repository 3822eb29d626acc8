/**
 * The Kazakhstan individual identification number (ИИН, IIN): 12 digits.
 * - digits 1-6: birth date YYMMDD;
 * - digit 7: century and sex: 1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s. Other values (0, 7-9)
 *   are refused: a 0 for some foreigners appears in hearsay only, in no rule we could find, so it is not
 *   accepted here;
 * - digits 8-11: registration serial;
 * - digit 12: check digit: the sum of digits 1-11 weighted 1..11, mod 11; when that is 10, the sum weighted
 *   3,4,5,6,7,8,9,10,11,1,2, mod 11; when that is 10 too, the number is never issued (invalid).
 * Pure: no clock, no I/O.
 */
export interface IinInfo {
  valid: boolean;
  reason?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  sex?: 'male' | 'female';
}

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit for the first 11 digits, or null when both passes give 10. */
export function iinCheckDigit(first11: readonly number[]): number | null {
  const pass = (weights: number[]) => first11.reduce((sum, digit, i) => sum + digit * weights[i], 0) % 11;
  const first = pass(FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = pass(SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

const CENTURIES: Record<string, { century: number; sex: 'male' | 'female' }> = {
  '1': { century: 1800, sex: 'male' },
  '2': { century: 1800, sex: 'female' },
  '3': { century: 1900, sex: 'male' },
  '4': { century: 1900, sex: 'female' },
  '5': { century: 2000, sex: 'male' },
  '6': { century: 2000, sex: 'female' },
};

export function parseIin(iin: string): IinInfo {
  if (typeof iin !== 'string' || !/^\d{12}$/.test(iin)) return { valid: false, reason: 'an IIN is exactly 12 digits' };
  const digits = [...iin].map(Number);
  const century = CENTURIES[iin[6]];
  if (!century) return { valid: false, reason: `digit 7 (century and sex) must be 1-6, not ${iin[6]}` };
  const year = century.century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { valid: false, reason: `digits 1-6 are not a date (${iin.slice(0, 6)})` };
  }
  const check = iinCheckDigit(digits.slice(0, 11));
  if (check === null) return { valid: false, reason: 'no check digit exists for these digits' };
  if (check !== digits[11]) return { valid: false, reason: 'wrong check digit' };
  const birthDate = `${String(year).padStart(4, '0')}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  return { valid: true, birthDate, sex: century.sex };
}

export function isValidIin(iin: string): boolean {
  return parseIin(iin).valid;
}

/** Twelve digits, whatever they mean: the shape an API field must have before its rules are checked. */
export function isIinFormat(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value);
}

/** Builds a valid IIN from a birth date, sex and serial (for tests, demos and benchmarks). */
export function makeIin(birth: { year: number; month: number; day: number }, male: boolean, serial: number): string {
  const centuryDigit = (birth.year >= 2000 ? 5 : birth.year >= 1900 ? 3 : 1) + (male ? 0 : 1);
  for (let s = serial; s < serial + 10_000; s++) {
    const head = [
      String(birth.year % 100).padStart(2, '0'),
      String(birth.month).padStart(2, '0'),
      String(birth.day).padStart(2, '0'),
      String(centuryDigit),
      String(s % 10_000).padStart(4, '0'),
    ].join('');
    const check = iinCheckDigit([...head].map(Number));
    if (check !== null) return `${head}${check}`;
  }
  throw new Error('no valid IIN for this date');
}
