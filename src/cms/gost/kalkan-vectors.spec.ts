import { verifySignature } from '../algorithms.js';
import { parseCertificate, publicKeyOf, readCertificates } from '../certificate.js';
import { verifyCmsSync } from '../index.js';
import { readNestedCms } from '../signed-data.js';
import { missingExternalVectors, readExternalVector } from '../testing/external-vectors.js';
import { KzGostKey } from './kz-gost.js';
import { streebog } from './streebog.js';

/**
 * Signatures made by Kalkan, NCA's own library (NCANode's public test data), read from ../shared/vectors/kalkan:
 * a CMS over "test123" with a GOST 34.10-2015 (512) signer and an RSA signer, and NCA's test CA certificates.
 */
const CMS = ['kalkan', 'gost_rsa_two_signers.p7s'];
const GOST_CA = ['kalkan', 'nca_gost2015_test.cer'];
const RSA_CA = ['kalkan', 'nca_rsa_test.crt'];
const GOST2004_CA = ['kalkan', 'nca_gost_test.crt'];

const NAME = 'Kalkan GOST vectors';
const missing = missingExternalVectors(NAME, [CMS, GOST_CA, RSA_CA, GOST2004_CA]);

(missing.length ? describe.skip : describe)(`${NAME}${missing.length ? ' (NOT RUN: vectors missing)' : ''}`, () => {
  const cms = () => readExternalVector(...CMS);
  const anchors = () => [readExternalVector(...GOST_CA), readExternalVector(...RSA_CA)];

  it('with both NCA test CAs as anchors: the GOST signature passes, the RSA one is out of its validity', () => {
    const report = verifyCmsSync(cms(), { trustAnchors: anchors() });
    const [gost, rsa] = report.signatures;
    expect(gost.signer?.iin).toBe('123456789012');
    expect(gost.digestAlgorithm).toBe('GOST 34.11-2015 (512)');
    expect(gost.signatureAlgorithm).toBe('GOST 34.10-2015 with GOST 34.11-2015 (512)');
    expect(gost.indication).toBe('TOTAL_PASSED');
    expect(gost.checks).toEqual({ messageDigest: 'passed', signature: 'passed', validity: 'passed', keyUsage: 'passed', chain: 'passed' });
    expect(gost.message).toContain('chain to CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022');
    expect(rsa.signer?.iin).toBe('123456789011');
    expect([rsa.indication, rsa.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    expect(rsa.checks.signature).toBe('passed');
    expect(report.indication).toBe('INDETERMINATE');
  });

  it('the messageDigest attribute is Streebog-512 of the content, in memory byte order', () => {
    const signer = readNestedCms(cms(), undefined).layers[0].signerInfos[0];
    expect(Buffer.from(signer.signedAttrs!.messageDigest!).toString('hex')).toBe(streebog(512, Buffer.from('test123')).toString('hex'));
  });

  it('the CA certificate verifies the signer certificate; its key uses parameter set 1.2.398.3.10.1.1.2.2.1 (TC26 512 A)', () => {
    const ca = readCertificates(readExternalVector(...GOST_CA))[0];
    const leaf = parseCertificate(readNestedCms(cms(), undefined).layers[0].certificates[0]);
    const caKey = publicKeyOf(ca);
    expect(caKey).toBeInstanceOf(KzGostKey);
    expect((caKey as KzGostKey).key?.curve.name).toBe('id-tc26-gost-3410-12-512-paramSetA');
    expect(verifySignature(leaf.signatureAlgorithm, null, caKey, ca.publicKeyAlgorithm.oid, leaf.tbs, leaf.signatureValue)).toEqual({ status: 'valid' });
    const tbs = Buffer.from(leaf.tbs);
    tbs[tbs.length - 5] ^= 1;
    expect(verifySignature(leaf.signatureAlgorithm, null, caKey, ca.publicKeyAlgorithm.oid, tbs, leaf.signatureValue)).toEqual({ status: 'invalid' });
    // RFC 4491's order (s then r, big-endian) is the byte-reverse of Kalkan's: it must not pass as well.
    const reversed = Buffer.from(leaf.signatureValue).reverse();
    expect(verifySignature(leaf.signatureAlgorithm, null, caKey, ca.publicKeyAlgorithm.oid, leaf.tbs, reversed)).toEqual({ status: 'invalid' });
  });

  it('a changed signature value fails the GOST signer (SIG_CRYPTO_FAILURE)', () => {
    const bytes = cms();
    const signer = readNestedCms(bytes, undefined).layers[0].signerInfos[0];
    const at = bytes.indexOf(Buffer.from(signer.signature));
    bytes[at + 10] ^= 0x40;
    const gost = verifyCmsSync(bytes, { trustAnchors: anchors() }).signatures[0];
    expect([gost.indication, gost.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('changed content fails the GOST signer (HASH_FAILURE)', () => {
    const bytes = cms();
    const at = bytes.indexOf(Buffer.from('test123'));
    bytes[at + 6] = '4'.charCodeAt(0);
    const gost = verifyCmsSync(bytes, { trustAnchors: anchors() }).signatures[0];
    expect([gost.indication, gost.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  });

  it('with only the RSA CA as anchor, the GOST signature has no chain', () => {
    const gost = verifyCmsSync(cms(), { trustAnchors: [readExternalVector(...RSA_CA)] }).signatures[0];
    expect(gost.checks.signature).toBe('passed');
    expect([gost.indication, gost.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('an unknown parameter set in the signer certificate is INDETERMINATE/UNSUPPORTED_ALGORITHM, named', () => {
    const bytes = cms();
    // 1.2.398.3.10.1.1.2.2.1 → 1.2.398.3.10.1.1.2.2.9 in the signer's certificate (the first one in the CMS).
    const paramSet = Buffer.from('060a2a830e030a0101020201', 'hex');
    const at = bytes.indexOf(paramSet);
    expect(at).toBeGreaterThan(0);
    bytes[at + paramSet.length - 1] = 9;
    const gost = verifyCmsSync(bytes, { trustAnchors: anchors() }).signatures[0];
    expect([gost.indication, gost.subIndication]).toEqual(['INDETERMINATE', 'UNSUPPORTED_ALGORITHM']);
    expect(gost.message).toContain('GOST parameter set 1.2.398.3.10.1.1.2.2.9 is not known');
  });

  it("NCA's GOST 34.310-2004 CA: read, and its key reported as one that cannot be verified here", () => {
    const ca = readCertificates(readExternalVector(...GOST2004_CA))[0];
    const key = publicKeyOf(ca) as KzGostKey;
    expect(key).toBeInstanceOf(KzGostKey);
    expect(key.key).toBeNull();
    expect(key.problem).toMatch(/GOST 34\.310-2004 .*cannot be verified here/);
    const check = verifySignature(ca.signatureAlgorithm, null, key, ca.publicKeyAlgorithm.oid, ca.tbs, ca.signatureValue);
    expect(check.status).toBe('unsupported');
  });
});
