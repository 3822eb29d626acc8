import { REVOCATION_NOT_CHECKED, type SignatureReport, type VerificationReport } from '../../cms/index.js';
import { checkDocument, roundVerdict, signatureFingerprint, type DocumentCheck } from './round-verdict.js';

const ORIGINAL = 'a'.repeat(64);

function signature(iin: string, time: string, overrides: Partial<SignatureReport> = {}): SignatureReport {
  return {
    depth: 1,
    index: 0,
    signer: { iin, bin: null, commonName: `Signer ${iin}`, surname: null, givenName: null, organization: null },
    certificate: { serialNumber: iin, issuer: 'CN=CA', subject: `CN=${iin}`, notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', sha256: `cert-${iin}` },
    signingTime: time,
    validityTime: { time, source: 'signingTime' },
    timestamp: null,
    revocation: { ...REVOCATION_NOT_CHECKED },
    warnings: [],
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSA',
    indication: 'TOTAL_PASSED',
    message: 'ok',
    checks: { messageDigest: 'passed', signature: 'passed', validity: 'passed', keyUsage: 'passed', chain: 'passed' },
    ...overrides,
  };
}

function report(signatures: SignatureReport[], contentSha256 = ORIGINAL): VerificationReport {
  return { indication: 'TOTAL_PASSED', signatures, content: { sha256: contentSha256, type: 'pdf', detached: false, size: 10 }, depth: signatures.length, message: '', chainChecked: true, warnings: [] };
}

const first = signature('900101300126', '2026-11-21T10:00:00Z');
const second = signature('850215400567', '2026-11-21T11:00:00Z');
const check = (output: VerificationReport, input?: VerificationReport, expectedIin = second.signer!.iin!): DocumentCheck => ({
  documentName: 'contract.pdf',
  originalSha256: ORIGINAL,
  expectedIin,
  input,
  output,
});

describe('round verdict', () => {
  it('accepts exactly one new valid signature by the expected signer over the original', () => {
    expect(checkDocument(check(report([first, second]), report([first])))).toEqual({ accepted: true });
    expect(checkDocument(check(report([first]), undefined, first.signer!.iin!))).toEqual({ accepted: true });
  });

  it('judges the same from the fingerprints kept at upload as from the report of the upload', () => {
    const kept = (output: VerificationReport): DocumentCheck => ({ ...check(output), inputSignatures: [first].map(signatureFingerprint) });
    expect(checkDocument(kept(report([first, second])))).toEqual({ accepted: true });
    expect(checkDocument(kept(report([second])))).toMatchObject({ accepted: false, reason: 'CONTENT_MISMATCH' });
    expect(checkDocument(kept(report([first])))).toMatchObject({ accepted: false, reason: 'IDENTITY_MISMATCH' });
  });

  it.each([
    ['a signature that does not verify', report([first, { ...second, indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' }]), 'SIGNATURE_INVALID'],
    ['an unreadable CMS', { ...report([]), indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' } as VerificationReport, 'SIGNATURE_INVALID'],
    ['no signature at all', report([]), 'SIGNATURE_INVALID'],
    ['other content', report([first, second], 'b'.repeat(64)), 'CONTENT_MISMATCH'],
    ["an earlier signer's signature dropped", report([second]), 'CONTENT_MISMATCH'],
    ['a certificate of another IIN', report([first, signature('920730300010', '2026-11-21T11:00:00Z')]), 'IDENTITY_MISMATCH'],
    ['two new signatures', report([first, second, signature('920730300010', '2026-11-21T11:05:00Z')]), 'IDENTITY_MISMATCH'],
    ['no new signature', report([first]), 'IDENTITY_MISMATCH'],
  ] as const)('rejects %s', (_label, output, reason) => {
    const verdict = checkDocument(check(output, report([first])));
    expect(verdict).toMatchObject({ accepted: false, reason });
  });

  it('never accepts a signature whose chain was not found, with trust anchors or without (fail closed)', () => {
    const unchained = { ...second, indication: 'INDETERMINATE' as const, subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' as const };
    expect(checkDocument(check(report([first, unchained]), report([first])))).toMatchObject({ accepted: false, reason: 'SIGNATURE_INVALID' });
    const withoutAnchors = { ...report([first, unchained]), chainChecked: false };
    expect(checkDocument(check(withoutAnchors, report([first])))).toMatchObject({ accepted: false, reason: 'SIGNATURE_INVALID' });
  });

  it('rejects the round when any document fails', () => {
    const good = check(report([first, second]), report([first]));
    const bad = check(report([first, second], 'c'.repeat(64)), report([first]));
    expect(roundVerdict([good, good])).toEqual({ accepted: true });
    expect(roundVerdict([good, bad])).toMatchObject({ accepted: false, reason: 'CONTENT_MISMATCH' });
  });
});
