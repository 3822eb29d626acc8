import { verifySignature } from '../algorithms.js';
import type { ParsedCertificate } from '../certificate.js';
import { tlv } from '../der/der-writer.js';
import { kzGostCertificateKey, kzGostSign, testGostKey } from '../testing/gost-signer.js';
import { GOST_CURVES } from './gost3410.js';
import { KZ_GOST_OID, readKzGostKey, verifyGostSignature } from './kz-gost.js';

/** Certificates are stood in for by their key fields: all readKzGostKey reads. */
const asCertificate = (fields: Pick<ParsedCertificate, 'publicKeyAlgorithm' | 'publicKeyBits'>) => fields as ParsedCertificate;

const data = Buffer.from('signed attributes, or a certificate body');
const key512 = testGostKey(GOST_CURVES.tc26_512_A);
const key256 = testGostKey(GOST_CURVES.tc26_256_A);
const sig512 = { oid: KZ_GOST_OID.signature512, params: null };
const sig256 = { oid: KZ_GOST_OID.signature256, params: null };

const check = (algorithm: { oid: string; params: null }, cert: ParsedCertificate, signature: Uint8Array, digestOid: string | null = null, signed = data) =>
  verifyGostSignature(algorithm, digestOid, readKzGostKey(cert), cert.publicKeyAlgorithm.oid, signed, signature);

describe('GOST 34.10-2015 as NCA profiles it', () => {
  it.each([
    ['512', key512, sig512],
    ['256', key256, sig256],
  ] as const)('%s-bit: a signature in NCA byte order verifies; over other data it does not', (_bits, key, algorithm) => {
    const cert = asCertificate(kzGostCertificateKey(key));
    const signature = kzGostSign(key, data);
    expect(check(algorithm, cert, signature)).toEqual({ status: 'valid' });
    expect(check(algorithm, cert, signature, null, Buffer.from('other data'))).toEqual({ status: 'invalid' });
  });

  it('the key OID as signature algorithm takes its hash from the digest algorithm, which must fit the key', () => {
    const cert = asCertificate(kzGostCertificateKey(key512));
    const signature = kzGostSign(key512, data);
    const keyAsAlgorithm = { oid: KZ_GOST_OID.key512, params: null };
    expect(check(keyAsAlgorithm, cert, signature, KZ_GOST_OID.digest512)).toEqual({ status: 'valid' });
    expect(check(keyAsAlgorithm, cert, signature, KZ_GOST_OID.digest256)).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/does not fit/) });
    expect(check(keyAsAlgorithm, cert, signature, '2.16.840.1.101.3.4.2.1')).toMatchObject({ status: 'unsupported' });
  });

  it('malformed signature values fail, never pass and never throw', () => {
    const cert = asCertificate(kzGostCertificateKey(key512));
    const signature = kzGostSign(key512, data);
    const q = GOST_CURVES.tc26_512_A.q;
    const qLittleEndian = Buffer.from(q.toString(16).padStart(128, '0'), 'hex').reverse();
    for (const bad of [
      signature.subarray(0, 127),
      Buffer.concat([signature, Buffer.of(0)]),
      Buffer.alloc(0),
      Buffer.alloc(128),
      Buffer.alloc(128, 0xff),
      Buffer.concat([qLittleEndian, signature.subarray(64)]),
      Buffer.concat([signature.subarray(0, 64), qLittleEndian]),
      Buffer.from(signature).reverse(),
    ]) {
      expect(check(sig512, cert, bad)).toEqual({ status: 'invalid' });
    }
  });

  it('unknown parameter sets, wrong key lengths and broken keys are INDETERMINATE with the reason', () => {
    const size = 64;
    const xy = (kzGostCertificateKey(key512).publicKeyBits as Buffer).subarray(3);
    const cases: [string, Pick<ParsedCertificate, 'publicKeyAlgorithm' | 'publicKeyBits'>, RegExp][] = [
      ['unknown parameter set', kzGostCertificateKey(key512, { paramSet: '1.2.398.3.10.1.1.2.2.7' }), /parameter set 1\.2\.398\.3\.10\.1\.1\.2\.2\.7 is not known/],
      ['256-bit parameter set on a 512-bit key', kzGostCertificateKey(key512, { paramSet: '1.2.398.3.10.1.1.2.1.1' }), /does not fit/],
      ['key one byte short', kzGostCertificateKey(key512, { publicKeyBits: tlv(0x04, xy.subarray(1)) }), /127 bytes, 128 expected/],
      ['key bits not an OCTET STRING', kzGostCertificateKey(key512, { publicKeyBits: tlv(0x03, xy) }), /malformed GOST public key/],
      ['trailing bytes', kzGostCertificateKey(key512, { publicKeyBits: Buffer.concat([tlv(0x04, xy), Buffer.of(0)]) }), /trailing bytes/],
      ['point off the curve', kzGostCertificateKey(key512, { publicKeyBits: tlv(0x04, Buffer.concat([xy.subarray(0, size), Buffer.alloc(size, 1)])) }), /not a point of/],
      ['truncated DER', kzGostCertificateKey(key512, { publicKeyBits: Buffer.of(0x04, 0x81) }), /malformed GOST public key/],
      [
        'no parameters',
        { publicKeyAlgorithm: { oid: KZ_GOST_OID.key512, params: null }, publicKeyBits: kzGostCertificateKey(key512).publicKeyBits },
        /names no parameter set/,
      ],
    ];
    const signature = kzGostSign(key512, data);
    for (const [name, fields, reason] of cases) {
      const outcome = check(sig512, asCertificate(fields), signature);
      expect({ name, outcome }).toEqual({ name, outcome: { status: 'unsupported', reason: expect.stringMatching(reason) } });
    }
  });

  it('a 512-bit signature algorithm with a 256-bit key (and the reverse) is refused as a mismatch', () => {
    expect(check(sig512, asCertificate(kzGostCertificateKey(key256)), kzGostSign(key256, data))).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/does not match/) });
    expect(check(sig256, asCertificate(kzGostCertificateKey(key512)), kzGostSign(key512, data))).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/does not match/) });
  });

  it('GOST 34.310-2004 and Russian GOST come back unsupported, named, never valid', () => {
    const cert2004 = asCertificate({ publicKeyAlgorithm: { oid: KZ_GOST_OID.key2004, params: null }, publicKeyBits: tlv(0x04, Buffer.alloc(64, 1)) });
    expect(check({ oid: KZ_GOST_OID.signature2004, params: null }, cert2004, Buffer.alloc(64, 1))).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/GOST 34\.310-2004/),
    });
    // Through the CMS core's entry point, with a GOST signature algorithm over an RSA-looking key and vice versa.
    expect(verifySignature({ oid: '1.2.643.7.1.1.3.3', params: null }, null, null, '1.2.643.7.1.1.1.2', data, Buffer.alloc(128))).toMatchObject({ status: 'unsupported' });
    expect(verifySignature(sig512, null, null, '1.2.840.113549.1.1.1', data, Buffer.alloc(128))).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/does not match the certificate's RSA key/),
    });
  });
});
