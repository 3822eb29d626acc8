import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from './sha256.js';

export interface PrefixedKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

/**
 * Secrets shaped `<kind>_<prefix>_<secret>` (Kezek's `kzk_` API keys, the sandbox's `sbx_` provider keys):
 * the prefix (10 hex characters) finds the row; the SHA-256 of the whole key is what is stored and compared,
 * in constant time. The secret carries 256 random bits, so a fast hash is the right tool (a password hash
 * would add nothing but latency).
 */
export function prefixedKeys(kind: string) {
  const pattern = new RegExp(`^${kind}_([a-f0-9]{10})_([A-Za-z0-9_-]{43})$`);
  return {
    generate(): PrefixedKey {
      const prefix = randomBytes(5).toString('hex');
      const key = `${kind}_${prefix}_${randomBytes(32).toString('base64url')}`;
      return { key, prefix, hash: sha256(key) };
    },
    /** The prefix of a well-formed key, or undefined for anything that cannot be one. */
    prefixOf(key: string): string | undefined {
      return pattern.exec(key)?.[1];
    },
    hash: (key: string): Buffer => sha256(key),
    matches(key: string, storedHash: Buffer): boolean {
      const candidate = sha256(key);
      return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
    },
  };
}
