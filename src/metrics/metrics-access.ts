import { createHash, timingSafeEqual } from 'node:crypto';

/** True when `authorization` is `Bearer <token>`; compared in constant time (hashes of equal length). */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) return false;
  const given = createHash('sha256').update(match[1]).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}
