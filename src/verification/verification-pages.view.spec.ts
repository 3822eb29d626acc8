import type { PublicSigner } from './domain/public-report.js';
import { AppError } from '../common/errors/app-error.js';
import { errorPage } from '../web/html-response.js';
import { commonName, errorPageOf, sessionPage, signerNotes, signersTable, verifyPage } from './verification-pages.view.js';
import { VERIFY_PAGE_SCRIPT } from './verify-page.script.js';

describe('verification pages', () => {
  it('reads the CN of an issuer with escaped commas', () => {
    expect(commonName('CN=Kezek Sandbox NCA (RSA\\, not a real authority), O=Kezek Sandbox, C=KZ')).toBe('Kezek Sandbox NCA (RSA, not a real authority)');
    expect(commonName('O=No CN')).toBe('O=No CN');
  });

  it('escapes what it shows and keeps the page config inert', () => {
    const html = sessionPage(
      { checkId: 'c-1', finishedAt: null, envelope: { status: 'COMPLETED' }, rejected: false, archive: 'STORED', otherFiles: [], documents: [{ name: '</script><img src=x onerror=alert(1)>', sha256: 'ab', copies: [], report: null, signers: [] }] },
      'en',
      1000,
    );
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x');
    const config = /<script type="application\/json" id="verify-config">([^<]*)<\/script>/.exec(verifyPage('kz', 1000))?.[1];
    expect(JSON.parse(config!)).toMatchObject({ maxBytes: 1000, checkId: null, language: 'kz' });
    const notFound = errorPageOf('ru', new AppError('VERIFICATION_SESSION_NOT_FOUND', 'Not found'));
    expect(notFound.error).toEqual({ status: 404, code: 'VERIFICATION_SESSION_NOT_FOUND', message: 'Не найдено.' });
    expect(errorPage(notFound.error, notFound.options)).toContain('data-error="notFound">Не найдено.</div>');
  });

  it('serves a script that parses', () => {
    expect(() => new Function(VERIFY_PAGE_SCRIPT)).not.toThrow();
    expect(VERIFY_PAGE_SCRIPT).not.toContain('innerHTML');
  });

  const signer = (overrides: Partial<PublicSigner>): PublicSigner => ({
    order: 1,
    name: 'ИВАНОВ ИВАН',
    organization: null,
    iin: '********0126',
    signingTime: '2026-05-01T10:00:00.000Z',
    certificate: { serialNumber: '0a', issuer: 'CN=Test CA' },
    indication: 'TOTAL_PASSED',
    validityTime: { time: '2026-05-01T10:00:00.000Z', source: 'signingTime' },
    timestamp: null,
    revocation: { status: 'not-checked', source: null, revokedAt: null },
    warnings: [],
    ...overrides,
  });

  it('says in plain words which time was used and what proves it, and the revocation status', () => {
    const proven = signer({
      validityTime: { time: '2026-05-01T10:00:05.000Z', source: 'timestamp' },
      timestamp: { status: 'passed', genTime: '2026-05-01T10:00:05.000Z', tsa: 'CN=NCA TSA, C=KZ', serialNumber: '1f' },
      revocation: { status: 'good', source: 'ocsp', revokedAt: null },
    });
    expect(signerNotes(proven, 'en')).toEqual(['Signing time proven by a timestamp from NCA TSA: 2026-05-01 10:00:05 UTC (token serial 1f).', 'Certificate not revoked (checked by OCSP).']);
    expect(signerNotes(proven, 'ru')[0]).toContain('подтверждено меткой времени от NCA TSA');
    expect(signerNotes(proven, 'kz')[1]).toBe('Сертификат кері қайтарылмаған (OCSP арқылы тексерілді).');

    const claimed = signer({ revocation: { status: 'revoked', source: 'crl', revokedAt: '2026-04-01T00:00:00.000Z' }, warnings: ['revocation status unknown'] });
    expect(signerNotes(claimed, 'en')).toEqual([
      'Signing time as stated by the signer: 2026-05-01 10:00:00 UTC; no timestamp proves it.',
      'Certificate REVOKED on 2026-04-01 00:00:00 UTC (CRL).',
      'Note: revocation status unknown',
    ]);
    expect(signerNotes(signer({ timestamp: { status: 'failed', genTime: null, tsa: null, serialNumber: null } }), 'ru')).toContain('Отзыв сертификата не проверялся.');
    const html = signersTable([signer({ warnings: ['<b>x</b>'] })], 'kz');
    expect(html).toContain('data-validity-source="signingTime"');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
