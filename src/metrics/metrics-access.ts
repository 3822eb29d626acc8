import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../common/crypto/sha256.js';

/** True when `authorization` is `Bearer <token>`; compared in constant time (hashes of equal length). */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) return false;
  const given = sha256(match[1]);
  const expected = sha256(token);
  return timingSafeEqual(given, expected);
}
