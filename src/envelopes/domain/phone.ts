/**
 * Kazakh mobile numbers in the provider's format `77XXXXXXXXX`. Accepts what people type:
 * `+7 701 123 45 67`, `8 (701) 123-45-67`, `77011234567`.
 */
export function normalisePhone(input: string): string | undefined {
  if (!/^[\d\s()+-]+$/.test(input)) return undefined;
  let digits = input.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('7')) digits = `7${digits}`;
  return /^77\d{9}$/.test(digits) ? digits : undefined;
}
