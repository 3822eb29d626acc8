import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../app.module.js';
import { registeredErrorCodes } from './error-codes.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('error codes', () => {
  it('every code thrown as an AppError has a status once the app is loaded (each feature table is registered)', () => {
    const thrown = new Set(sources(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/new AppError\(\s*'([A-Z_]+)'/g)].map((m) => m[1])));
    expect(thrown.size).toBeGreaterThan(20);
    const statuses = registeredErrorCodes();
    expect([...thrown].filter((code) => !statuses.has(code))).toEqual([]);
  });

  it('features keep their statuses', () => {
    const statuses = registeredErrorCodes();
    expect(statuses.get('ENVELOPE_NOT_FOUND')).toBe(404);
    expect(statuses.get('SESSION_STILL_OPEN')).toBe(409);
    expect(statuses.get('PROVIDER_NOT_CONFIGURED')).toBe(409);
    expect(statuses.get('IDEMPOTENCY_KEY_REUSED')).toBe(422);
  });
});
