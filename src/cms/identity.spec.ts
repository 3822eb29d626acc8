import { CmsCertificateError, identityFromCertificate, parseCertificate, verifyCms } from './index.js';
import { OpensslWorkspace, pseudoPdf } from './testing/openssl-vectors.js';

let ws: OpensslWorkspace;
let ca: ReturnType<OpensslWorkspace['createCa']>;

beforeAll(() => {
  ws = new OpensslWorkspace();
  ca = ws.createCa('ca', 'Identity Test CA');
});

afterAll(() => ws?.cleanup());

describe('identityFromCertificate', () => {
  it('reads an employee certificate: IIN in SERIALNUMBER, BIN in OU, organisation, names', () => {
    const signer = ws.issue(ca, 'employee', {
      commonName: 'ӘБІЛОВ ДӘУРЕН',
      surname: 'ӘБІЛОВ',
      givenName: 'ҒАЛЫМҰЛЫ',
      iin: '850615400705',
      bin: '990740000683',
      organization: 'АО "Қазақ, Телеком"',
    });
    const expected = {
      iin: '850615400705',
      bin: '990740000683',
      commonName: 'ӘБІЛОВ ДӘУРЕН',
      surname: 'ӘБІЛОВ',
      givenName: 'ҒАЛЫМҰЛЫ',
      organization: 'АО "Қазақ, Телеком"',
    };
    expect(identityFromCertificate(signer.certPem)).toEqual(expected);
    expect(identityFromCertificate(signer.certDer)).toEqual(expected);
    expect(identityFromCertificate(Buffer.from(signer.certPem))).toEqual(expected);
    const parsed = parseCertificate(signer.certDer);
    expect(identityFromCertificate(parsed)).toEqual(expected);
    // The subject text escapes what RFC 4514 requires.
    expect(parsed.subject.text).toContain('O=АО \\"Қазақ\\, Телеком\\"');
  });

  it('reads a legal entity certificate with the BIN in SERIALNUMBER', () => {
    const signer = ws.issue(ca, 'company', { commonName: 'ТОО КЕЗЕК', serialNumber: 'BIN990740000683', organization: 'ТОО КЕЗЕК' });
    expect(identityFromCertificate(signer.certDer)).toEqual({
      iin: null,
      bin: '990740000683',
      commonName: 'ТОО КЕЗЕК',
      surname: null,
      givenName: null,
      organization: 'ТОО КЕЗЕК',
    });
  });

  it('leaves out what a foreign certificate does not carry', () => {
    const signer = ws.issue(ca, 'foreign', { commonName: 'John Smith', serialNumber: 'PASSPORT 12345' });
    expect(identityFromCertificate(signer.certPem)).toEqual({ iin: null, bin: null, commonName: 'John Smith', surname: null, givenName: null, organization: null });
  });

  it('throws on what is not a certificate', () => {
    expect(() => identityFromCertificate('hello')).toThrow(CmsCertificateError);
    expect(() => identityFromCertificate(Buffer.from('3003020101', 'hex'))).toThrow();
  });
});

describe('other signature algorithms node:crypto verifies', () => {
  it('verifies ECDSA P-256 and RSASSA-PSS signers, and OpenSSL agrees', async () => {
    const doc = ws.write('doc.pdf', pseudoPdf(4096));
    const ec = ws.issue(ca, 'ec', { commonName: 'EC SIGNER', iin: '900101300017' }, { keyAlgorithm: 'EC-P256' });
    const rsa = ws.issue(ca, 'pss', { commonName: 'PSS SIGNER', iin: '010517602345' });
    const ecCms = ws.sign(doc, ws.path('ec.p7s'), [ec], { md: 'sha384' });
    const pssCms = ws.sign(doc, ws.path('pss.p7s'), [rsa], { pss: true });
    for (const [file, cms, algorithm] of [
      ['ec.p7s', ecCms, 'ECDSA with SHA-384'],
      ['pss.p7s', pssCms, 'RSASSA-PSS'],
    ] as const) {
      const report = await verifyCms(cms, { trustAnchors: [ca.certPem] });
      expect([file, report.indication, report.signatures[0].signatureAlgorithm]).toEqual([file, 'TOTAL_PASSED', algorithm]);
      expect(ws.verify(ws.path(file), { caFile: ca.certPath })).toBe(true);
      // A changed signature fails for these too.
      const bad = Buffer.from(cms);
      bad[bad.length - 10] ^= 0x40;
      expect((await verifyCms(bad)).indication).toBe('TOTAL_FAILED');
    }
  });
});
