import { commonName, messagePage, sessionPage, verifyPage } from './verification-pages.view.js';
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
    expect(messagePage('ru', 'notFound')).toContain('Не найдено.');
  });

  it('serves a script that parses', () => {
    expect(() => new Function(VERIFY_PAGE_SCRIPT)).not.toThrow();
    expect(VERIFY_PAGE_SCRIPT).not.toContain('innerHTML');
  });
});
