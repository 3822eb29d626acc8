import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `kzk_<prefix>_<secret>`: the prefix (10 base32-ish chars) finds the row, the whole key's
 * SHA-256 is what is stored and compared (in constant time). Keys carry 256 bits of randomness, so a fast hash
 * is the right tool here (a password hash would add nothing but latency).
 */
const KEY_PATTERN = /^kzk_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(8).toString('hex').slice(0, 10);
  const key = `kzk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The prefix of a well-formed key, or undefined for anything that cannot be a Kezek key. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const candidate = hashApiKey(key);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
