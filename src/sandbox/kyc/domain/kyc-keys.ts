import { randomBytes, randomInt } from 'node:crypto';
import { hashSandboxApiKey, sandboxApiKeyMatches } from '../../domain/sandbox-keys.js';

/**
 * Keys of the sandbox's identity products: `flw_<prefix>_<secret>` for a flow's API KEY and `bck_<prefix>_<secret>`
 * for a client's Backend Api Key (58 characters; the guides say "47 characters or more"). The prefix finds the
 * row, the SHA-256 of the whole key is compared in constant time.
 */
const PATTERN = /^(flw|bck)_([a-f0-9]{10})_([A-Za-z0-9_-]{43})$/;

export type KycKeyKind = 'flw' | 'bck';

export function generateKycKey(kind: KycKeyKind): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(5).toString('hex');
  const key = `${kind}_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashSandboxApiKey(key) };
}

export function kycKeyPrefix(key: unknown, kind: KycKeyKind): string | undefined {
  if (typeof key !== 'string') return undefined;
  const match = PATTERN.exec(key);
  return match && match[1] === kind ? match[2] : undefined;
}

export const kycKeyMatches = sandboxApiKeyMatches;

/** A six-digit one-time code, as 1414 sends. */
export function generateOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
