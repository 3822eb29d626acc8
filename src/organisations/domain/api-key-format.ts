import { prefixedKeys } from '../../common/crypto/prefixed-key.js';

/** Kezek's API keys: `kzk_<prefix>_<secret>` (see prefixedKeys). */
const API_KEYS = prefixedKeys('kzk');

export interface NewApiKey {
  key: string;
  prefix: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const { key, prefix, hash } = API_KEYS.generate();
  return { key, prefix, secretHash: hash };
}

export const hashApiKey = API_KEYS.hash;
/** The prefix of a well-formed key, or undefined for anything that cannot be a Kezek key. */
export const apiKeyPrefix = API_KEYS.prefixOf;
export const apiKeyMatches = API_KEYS.matches;
