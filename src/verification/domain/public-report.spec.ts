import type { VerificationReport } from '../../cms/index.js';
import { maskIin } from '../../common/domain/pii-mask.js';
import { maskReport, publicSigners } from './public-report.js';
import { sniffUpload } from './upload-kind.js';

const report: VerificationReport = {
  indication: 'TOTAL_PASSED',
  signatures: [
    {
      depth: 1,
      index: 0,
      signer: { iin: '900101300126', bin: null, commonName: 'ӘЛИЕВ НҰРЛАН', surname: 'ӘЛИЕВ', givenName: null, organization: null },
      certificate: { serialNumber: '0a', issuer: 'CN=Test CA, C=KZ', subject: 'CN=ӘЛИЕВ НҰРЛАН, SERIALNUMBER=IIN900101300126, C=KZ', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', sha256: 'ab' },
      signingTime: '2026-05-01T10:00:00.000Z',
      digestAlgorithm: 'SHA-256',
      signatureAlgorithm: 'RSA',
      indication: 'TOTAL_PASSED',
      message: 'ok',
      checks: { messageDigest: 'passed', signature: 'passed', validity: 'passed', keyUsage: 'passed', chain: 'passed' },
    },
  ],
  content: { sha256: 'cd', type: 'pdf', detached: false, size: 10 },
  depth: 1,
  message: 'ok',
  chainChecked: true,
};

describe('public report', () => {
  it('masks IINs everywhere, the certificate subject included', () => {
    expect(maskIin('900101300126')).toBe('********0126');
    const masked = maskReport(report);
    expect(JSON.stringify(masked)).not.toContain('900101300126');
    expect(masked.signatures[0].certificate?.subject).toContain('IIN********0126');
    expect(report.signatures[0].signer?.iin).toBe('900101300126'); // the input is left alone
  });

  it('lists signers in signing order with time, issuer and masked IIN', () => {
    expect(publicSigners(report)).toEqual([
      { order: 1, name: 'ӘЛИЕВ НҰРЛАН', organization: null, iin: '********0126', signingTime: '2026-05-01T10:00:00.000Z', certificate: { serialNumber: '0a', issuer: 'CN=Test CA, C=KZ' }, indication: 'TOTAL_PASSED' },
    ]);
  });

  it('judges uploads by content', () => {
    const cmsHead = Buffer.from('3082010006092a864886f70d010702a0', 'hex');
    expect(sniffUpload(cmsHead, 1000)).toBe('cms');
    expect(sniffUpload(Buffer.from(`-----BEGIN CMS-----\n${cmsHead.toString('base64')}\n-----END CMS-----\n`), 1000)).toBe('cms');
    expect(sniffUpload(Buffer.from('%PDF-1.7\n'), 1000)).toBe('pdf');
    expect(sniffUpload(Buffer.from('<act/>'), 1000)).toBe('xml');
    expect(sniffUpload(Buffer.from('3082010006092a864886f70d010701a0', 'hex'), 1000)).toBe('unknown');
    expect(sniffUpload(Buffer.from('hello'), 1000)).toBe('unknown');
  });
});
