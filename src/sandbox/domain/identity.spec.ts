import { decideFault } from './faults.js';
import { isValidIin, makeIin } from '../../cms/iin.js';
import { nameForIin } from './kazakh-names.js';
import { archiveEntryName } from './archive.js';
import { checkWebhookSignature, signWebhook } from '../../cloud-eds/webhook-signature.js';
import { webhookRetryDelayMs } from './webhook-delivery.js';
import { generateSandboxApiKey, sandboxApiKeyMatches, sandboxApiKeyPrefix } from './sandbox-keys.js';

describe('IIN and names', () => {
  it('builds and checks IINs (date, century digit, check digit)', () => {
    const iin = makeIin({ year: 1990, month: 2, day: 28 }, true, 15);
    expect(isValidIin(iin)).toBe(true);
    expect(isValidIin(`${iin.slice(0, 11)}${(Number(iin[11]) + 1) % 10}`)).toBe(false);
    expect(isValidIin('900230300123')).toBe(false);
    expect(isValidIin('12345678901')).toBe(false);
  });

  it('derives the same plausible Kazakh name for the same IIN, by sex', () => {
    const male = makeIin({ year: 1985, month: 7, day: 1 }, true, 3);
    const female = makeIin({ year: 1985, month: 7, day: 1 }, false, 3);
    expect(nameForIin(male)).toEqual(nameForIin(male));
    expect(nameForIin(male).surname).toMatch(/(ОВ|ЕВ)$/);
    expect(nameForIin(female).surname).toMatch(/(ОВА|ЕВА)$/);
    expect(nameForIin(female).patronymic).toMatch(/(ҚЫЗЫ|ОВНА)$/);
  });
});

describe('faults, keys, webhooks, archive names', () => {
  it('decides drops and 503s by the configured shares', () => {
    expect(decideFault({ unavailableRate: 0, dropRate: 0 }, () => 0)).toEqual({ kind: 'none' });
    expect(decideFault({ unavailableRate: 1, dropRate: 0 }, () => 0.5)).toEqual({ kind: 'unavailable' });
    expect(decideFault({ unavailableRate: 0.33, dropRate: 0 }, () => 0.5)).toEqual({ kind: 'none' });
    expect(decideFault({ unavailableRate: 1, dropRate: 1 }, () => 0.5)).toEqual({ kind: 'drop' });
  });

  it('issues API keys that only match themselves', () => {
    const { key, prefix, hash } = generateSandboxApiKey();
    expect(sandboxApiKeyPrefix(key)).toBe(prefix);
    expect(sandboxApiKeyMatches(key, hash)).toBe(true);
    expect(sandboxApiKeyMatches(`${key.slice(0, -1)}x`, hash)).toBe(false);
    expect(sandboxApiKeyPrefix('kzk_abc')).toBeUndefined();
  });

  it('signs webhooks as sha256=HMAC(secret, "<timestamp>.<body>")', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook('whsec_test', 1700000000, '{"a":1}')).toBe('sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789');
    const signature = signWebhook('whsec_test', 1700000000, '{"a":1}');
    const now = 1700000000 * 1000;
    expect(checkWebhookSignature({ secret: 'whsec_test', timestamp: '1700000000', signature, rawBody: Buffer.from('{"a":1}'), now })).toBe('valid');
    expect(checkWebhookSignature({ secret: 'whsec_test', timestamp: '1700000001', signature, rawBody: Buffer.from('{"a":1}'), now })).toBe('invalid');
    expect([1, 2, 3, 30].map((n) => webhookRetryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 3600_000]);
  });

  it('names archive entries safely and uniquely', () => {
    const taken = new Set<string>();
    expect(archiveEntryName('a/b.pdf', 'pdf', taken)).toBe('a_b.pdf');
    expect(archiveEntryName('a/b.pdf', 'pdf', taken)).toBe('a_b (2).pdf');
    expect(archiveEntryName('report', 'xml', taken)).toBe('report.xml');
    expect(archiveEntryName('\u0000', 'pdf', taken)).toBe('document.pdf');
  });
});
