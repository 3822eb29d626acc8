import { randomBytes } from 'node:crypto';
import { sha256 } from '../../common/crypto/sha256.js';

/** Signer links carry 256 random bits; only their SHA-256 is used to find the signer. */
export function generateLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): Buffer {
  return sha256(token);
}

export function isWellFormedLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
