/**
 * Kazakhstan IIN: 12 digits, YYMMDD birth date, a century/sex digit (1-6; odd = male), four serial digits
 * and a check digit (weights 1..11, then 3..11,1,2 when the first sum gives 10).
 */
const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function iinCheckDigit(first11: string): number | undefined {
  const digits = [...first11].map(Number);
  const sum = (weights: number[]) => digits.reduce((acc, d, i) => acc + d * weights[i], 0) % 11;
  let check = sum(WEIGHTS_1);
  if (check === 10) check = sum(WEIGHTS_2);
  return check === 10 ? undefined : check;
}

export function isIinFormat(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value);
}

/** A well-formed IIN with a real date, century digit and check digit: what a state register could know. */
export function isValidIin(iin: string): boolean {
  if (!isIinFormat(iin)) return false;
  const centuryDigit = Number(iin[6]);
  if (centuryDigit < 1 || centuryDigit > 6) return false;
  const century = [1800, 1800, 1900, 1900, 2000, 2000][centuryDigit - 1];
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return iinCheckDigit(iin.slice(0, 11)) === Number(iin[11]);
}

export function isMaleIin(iin: string): boolean {
  return Number(iin[6]) % 2 === 1;
}

/** Builds a valid IIN from a birth date, sex and serial (tests and demos). */
export function makeIin(birth: { year: number; month: number; day: number }, male: boolean, serial: number): string {
  for (let s = serial; s < serial + 10_000; s++) {
    const centuryBase = birth.year >= 2000 ? 5 : birth.year >= 1900 ? 3 : 1;
    const head = [
      String(birth.year % 100).padStart(2, '0'),
      String(birth.month).padStart(2, '0'),
      String(birth.day).padStart(2, '0'),
      String(centuryBase + (male ? 0 : 1)),
      String(s % 10_000).padStart(4, '0'),
    ].join('');
    const check = iinCheckDigit(head);
    if (check !== undefined) return `${head}${check}`;
  }
  throw new Error('no valid IIN for this date');
}
