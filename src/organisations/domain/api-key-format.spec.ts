import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('generates keys whose prefix and hash identify them', () => {
    const { key, prefix, secretHash } = generateApiKey();
    expect(key.startsWith(`kzk_${prefix}_`)).toBe(true);
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(apiKeyMatches(key, secretHash)).toBe(true);
  });

  it('refuses another key with the same prefix', () => {
    const first = generateApiKey();
    const forged = `${first.key.slice(0, -1)}${first.key.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeyPrefix(forged)).toBe(first.prefix);
    expect(apiKeyMatches(forged, first.secretHash)).toBe(false);
  });

  it.each(['', 'Bearer', 'kzk_short_x', 'sk_live_abc', `kzk_${'a'.repeat(10)}_${'b'.repeat(42)}`])('rejects malformed key %p', (key) => {
    expect(apiKeyPrefix(key)).toBeUndefined();
  });
});
