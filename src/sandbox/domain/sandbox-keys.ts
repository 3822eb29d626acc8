import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Sandbox provider API keys look like `sbx_<prefix>_<secret>`: the prefix finds the organisation, the SHA-256 of
 * the whole key is stored and compared in constant time. Webhook secrets look like `whsec_<secret>`.
 */
const KEY_PATTERN = /^sbx_([a-f0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function generateSandboxApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(5).toString('hex');
  const key = `sbx_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashSandboxApiKey(key) };
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function hashSandboxApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function sandboxApiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function sandboxApiKeyMatches(key: string, hash: Buffer): boolean {
  const candidate = hashSandboxApiKey(key);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}
