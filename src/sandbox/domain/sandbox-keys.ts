import { randomBytes } from 'node:crypto';
import { prefixedKeys } from '../../common/crypto/prefixed-key.js';

/** Sandbox provider API keys look like `sbx_<prefix>_<secret>` (see prefixedKeys). Webhook secrets look like `whsec_<secret>`. */
const SANDBOX_KEYS = prefixedKeys('sbx');

export function generateSandboxApiKey(): { key: string; prefix: string; hash: Buffer } {
  return SANDBOX_KEYS.generate();
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export const hashSandboxApiKey = SANDBOX_KEYS.hash;
export const sandboxApiKeyPrefix = SANDBOX_KEYS.prefixOf;
export const sandboxApiKeyMatches = SANDBOX_KEYS.matches;
