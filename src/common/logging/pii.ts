import { Stream } from 'node:stream';
import { maskIin } from '../domain/pii-mask.js';

/**
 * Masks personal data before it reaches a log line: IINs/BINs (12 digits), Kazakh phone numbers, API keys
 * and bearer tokens. Keeps the last 4 digits of numbers so an operator can still tell records apart.
 */
const TWELVE_DIGITS = /(?<!\d)(\d{8})(\d{4})(?!\d)/g;
const PHONE = /(?<!\d)\+?[78][\s-]?\(?7\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)/g;
const API_KEY = /\b(?:kzk|sbx)_[A-Za-z0-9]+_[A-Za-z0-9_-]+/g;
const BEARER = /(Bearer\s+)[^\s"']+/gi;
/** Signer links are capabilities: whoever has one can sign or decline. */
const SIGNER_LINK = /\/s\/[A-Za-z0-9_-]{43}/g;

export function maskPii(text: string): string {
  return text
    .replace(API_KEY, (key) => `${key.slice(0, 3)}_***`)
    .replace(BEARER, '$1***')
    .replace(SIGNER_LINK, '/s/***')
    .replace(PHONE, (phone) => `7*******${phone.replace(/\D/g, '').slice(-4)}`)
    .replace(TWELVE_DIGITS, (digits) => maskIin(digits));
}

const SECRET_KEYS = /^(authorization|x-api-key|api[_-]?key|secret|password|token|cookie)$/i;

/** Deep copy of a log payload with every string masked and secret-named fields replaced. */
export function maskPiiDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return maskPii(value);
  if (Array.isArray(value)) return value.map((item) => maskPiiDeep(item, depth + 1));
  // Requests, responses and sockets (every request line carries the response) are left to the logger's
  // serializers, which keep a few masked fields: copying one field by field cost more than the request.
  if (value instanceof Stream) return value;
  // Errors go out as masked text: a database error's parameters or a provider message may carry PII.
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: maskPii(value.message), ...(code !== undefined ? { code } : {}), stack: maskPii(value.stack ?? '') };
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEYS.test(key) ? '***' : maskPiiDeep(inner, depth + 1);
    }
    return out;
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  return value;
}
