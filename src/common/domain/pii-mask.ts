/**
 * How Kezek (and its sandbox) shows personal numbers wherever a full one is not needed: the last four digits
 * of an IIN (`********0126`), the country and operator code and the last two digits of a phone
 * (`+7 701 •••-••-67`). One home, so every page, report and pack shows them alike.
 */
export function maskIin(iin: string): string;
export function maskIin(iin: string | null | undefined): string | null;
export function maskIin(iin: string | null | undefined): string | null {
  if (!iin) return null;
  return iin.length > 4 ? `${'*'.repeat(iin.length - 4)}${iin.slice(-4)}` : '*'.repeat(iin.length);
}

/** A phone in the 7XXXXXXXXXX form, masked: `+7 701 •••-••-67`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 11 ? `+${digits[0]} ${digits.slice(1, 4)} •••-••-${digits.slice(-2)}` : '•'.repeat(Math.max(digits.length - 2, 0)) + digits.slice(-2);
}
