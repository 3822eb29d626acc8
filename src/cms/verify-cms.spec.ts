import { createPublicKey, randomBytes } from 'node:crypto';
import { rsaKeyProblem } from './algorithms.js';
import { CmsCertificateError, CmsFormatError, extractContent, verifyCms, verifyCmsSync, type SignatureReport, type VerificationReport } from './index.js';
import { encodeOid, encodeSmallInteger, tlv } from './der/der-writer.js';
import { gostCms, gostDigestCms } from './testing/gost-vectors.js';
import { buildOpensslFixture, type OpensslFixture, type TestSigner, type VectorName } from './testing/openssl-vectors.js';
import { hostileRsaSpki, pkijsCmsBomb, pkijsCosign, pkijsSign } from './testing/pkijs-cms.js';

let fx: OpensslFixture;

beforeAll(() => {
  fx = buildOpensslFixture();
});

afterAll(() => fx?.ws.cleanup());

const sha256Hex = async (bytes: Uint8Array) => (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');

/** Who signed, in the report's order: depth.index and the IIN. */
const order = (report: VerificationReport) => report.signatures.map((s) => `${s.depth}.${s.index}:${s.signer?.iin ?? '-'}`);

/** Cryptographically intact in Kezek's eyes: every digest and every signature value checked and right. */
const intact = (report: VerificationReport) =>
  report.signatures.length > 0 && report.signatures.every((s) => s.checks.messageDigest === 'passed' && s.checks.signature === 'passed');

interface Expectation {
  indication: VerificationReport['indication'];
  subIndication?: VerificationReport['subIndication'];
  depth: number;
  /** depth.index:IIN per signature, signing order. */
  signers: (fx: OpensslFixture) => string[];
  type?: 'pdf' | 'xml' | 'unknown';
}

const iin = (s: TestSigner) => s.iin ?? '-';
const one = (s: (f: OpensslFixture) => TestSigner) => (f: OpensslFixture) => [`1.0:${iin(s(f))}`];

const EXPECTED: Record<VectorName, Expectation> = {
  attached: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.ivanov), type: 'pdf' },
  detached: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.ivanov), type: 'pdf' },
  ski: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.customSki), type: 'pdf' },
  cosigned2: { indication: 'TOTAL_PASSED', depth: 1, signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `1.1:${iin(f.signers.petrova)}`] },
  cosigned3: {
    indication: 'TOTAL_PASSED',
    depth: 1,
    signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `1.1:${iin(f.signers.petrova)}`, `1.2:${iin(f.signers.seitkali)}`],
  },
  resigned: { indication: 'TOTAL_PASSED', depth: 1, signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `1.1:${iin(f.signers.petrova)}`] },
  resignedDetached: { indication: 'TOTAL_PASSED', depth: 1, signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `1.1:${iin(f.signers.petrova)}`] },
  nested3: {
    indication: 'TOTAL_PASSED',
    depth: 3,
    signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `2.0:${iin(f.signers.petrova)}`, `3.0:${iin(f.signers.seitkali)}`],
    type: 'pdf',
  },
  nestedOverCosigned: {
    indication: 'TOTAL_PASSED',
    depth: 2,
    signers: (f) => [`1.0:${iin(f.signers.ivanov)}`, `1.1:${iin(f.signers.petrova)}`, `2.0:${iin(f.signers.seitkali)}`],
  },
  tamperedContent: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', depth: 1, signers: one((f) => f.signers.ivanov) },
  alteredSignature: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', depth: 1, signers: one((f) => f.signers.ivanov) },
  wrongDetachedContent: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', depth: 1, signers: one((f) => f.signers.ivanov) },
  expiredAtSigning: { indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE', depth: 1, signers: one((f) => f.signers.expired) },
  untrustedCa: { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', depth: 1, signers: one((f) => f.signers.untrusted) },
  berIndefinite: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.ivanov), type: 'pdf' },
  noCertificates: { indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND', depth: 1, signers: () => ['1.0:-'] },
  noSignedAttributes: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.ivanov) },
  noSigningKeyUsage: { indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE', depth: 1, signers: one((f) => f.signers.encipherOnly) },
  xmlDocument: { indication: 'TOTAL_PASSED', depth: 1, signers: one((f) => f.signers.petrova), type: 'xml' },
  truncated: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', depth: 0, signers: () => [] },
  randomBytes: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', depth: 0, signers: () => [] },
  randomSequence: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', depth: 0, signers: () => [] },
};

describe('verifyCms on OpenSSL vectors', () => {
  it.each(Object.keys(EXPECTED) as VectorName[])('%s: indication, signers and depth', async (name) => {
    const vector = fx.vectors[name];
    const expected = EXPECTED[name];
    const report = await verifyCms(vector.cms, { detachedContent: vector.detachedContent, trustAnchors: [fx.ca.certPem] });
    expect({ indication: report.indication, subIndication: report.subIndication, depth: report.depth, signers: order(report) }).toEqual({
      indication: expected.indication,
      subIndication: expected.subIndication,
      depth: expected.depth,
      signers: expected.signers(fx),
    });
    expect(report.message.length).toBeGreaterThan(0);
    if (expected.type) expect(report.content.type).toBe(expected.type);
  });

  it.each(Object.keys(EXPECTED) as VectorName[])('%s: OpenSSL and Kezek agree on cryptographic integrity', async (name) => {
    const vector = fx.vectors[name];
    const report = await verifyCms(vector.cms, { detachedContent: vector.detachedContent });
    const byOpenssl = vector.layers.every((layer) => fx.ws.verify(layer.file, { contentFile: layer.contentFile }));
    expect(intact(report)).toBe(byOpenssl);
  });

  it('agrees with OpenSSL on the trusted chain for the vectors that are fine', async () => {
    for (const name of ['attached', 'ski', 'cosigned3', 'berIndefinite', 'untrustedCa'] as VectorName[]) {
      const vector = fx.vectors[name];
      const report = await verifyCms(vector.cms, { trustAnchors: [fx.ca.certPem] });
      expect([name, report.indication === 'TOTAL_PASSED']).toEqual([name, fx.ws.verify(vector.layers[0].file, { caFile: fx.ca.certPath })]);
    }
  });

  it('reports the content: SHA-256 of the original document, type, size, detached or not', async () => {
    const expected = await sha256Hex(fx.document);
    for (const name of ['attached', 'nested3', 'nestedOverCosigned', 'berIndefinite'] as VectorName[]) {
      const report = await verifyCms(fx.vectors[name].cms);
      expect(report.content).toEqual({ sha256: expected, type: 'pdf', detached: false, size: fx.document.length });
    }
    const detached = await verifyCms(fx.vectors.detached.cms, { detachedContent: fx.document });
    expect(detached.content).toEqual({ sha256: expected, type: 'pdf', detached: true, size: fx.document.length });
  });

  it('reads the NCA identity and the certificate of each signer', async () => {
    const report = await verifyCms(fx.vectors.nested3.cms, { trustAnchors: [fx.ca.certPem] });
    const [first, second, third] = report.signatures;
    expect(first.signer).toEqual({
      iin: '900101300017',
      bin: '990740000683',
      commonName: 'ИВАНОВ ИВАН',
      surname: 'ИВАНОВ',
      givenName: 'ИВАНОВИЧ',
      organization: 'ТОО «Кезек Тест»',
    });
    expect(second.signer).toMatchObject({ iin: '850615400705', bin: null, surname: 'ПЕТРОВА', givenName: 'СЕРГЕЕВНА', organization: null });
    expect(third.signer?.commonName).toBe('СЕЙТҚАЛИ АЙГЕРІМ');
    expect(first.certificate).toMatchObject({
      issuer: 'CN=Kezek Test Root CA, O=Kezek Test, C=KZ',
      subject: expect.stringContaining('SERIALNUMBER=IIN900101300017'),
      sha256: await sha256Hex(fx.signers.ivanov.certDer),
    });
    expect(first.certificate?.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(new Date(first.certificate!.notAfter).getTime()).toBeGreaterThan(Date.now());
    expect(first).toMatchObject({ digestAlgorithm: 'SHA-256', signatureAlgorithm: 'SHA-256 with RSA', indication: 'TOTAL_PASSED' });
    expect(first.subIndication).toBeUndefined();
    expect(Math.abs(new Date(first.signingTime!).getTime() - Date.now())).toBeLessThan(3_600_000);
    expect(first.checks).toEqual({ messageDigest: 'passed', signature: 'passed', validity: 'passed', keyUsage: 'passed', chain: 'passed' });
  });

  it('matches a SubjectKeyIdentifier sid by the certificate extension, not SHA-1 of the key', async () => {
    const { createHash, X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(fx.signers.customSki.certDer);
    const keySha1 = createHash('sha1').update(cert.publicKey.export({ type: 'spki', format: 'der' }).subarray(24)).digest('hex');
    expect(fx.vectors.ski.cms.includes(Buffer.from('4b5a0102030405060708090a0b0c0d0e0f10111213', 'hex'))).toBe(true);
    expect(fx.vectors.ski.cms.includes(Buffer.from(keySha1, 'hex'))).toBe(false);
    const report = await verifyCms(fx.vectors.ski.cms);
    expect(report.signatures[0].signer?.commonName).toBe('ОМАРОВ АСАН');
  });

  it('fails closed without trust anchors: a certificate nobody configured never passes', async () => {
    for (const vector of [fx.vectors.untrustedCa, fx.vectors.attached]) {
      const report = await verifyCms(vector.cms);
      expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', chainChecked: false });
      expect(report.signatures[0].checks).toMatchObject({ signature: 'passed', chain: 'not-checked' });
      expect(report.signatures[0].message).toContain('no trust anchors');
    }
    expect((await verifyCms(fx.vectors.attached.cms, { trustAnchors: [fx.ca.certPem] })).chainChecked).toBe(true);
  });

  it('reports a detached signature without its content as SIGNED_DATA_NOT_FOUND, never passed', async () => {
    const report = await verifyCms(fx.vectors.detached.cms);
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND', content: { sha256: null, detached: true } });
    // The signature over the signed attributes is still checked.
    expect(report.signatures[0].checks.signature).toBe('passed');
  });

  it('finds the signer in the supplied certificates when the CMS carries none', async () => {
    const report = await verifyCms(fx.vectors.noCertificates.cms, { extraCertificates: [fx.signers.ivanov.certPem], trustAnchors: [fx.ca.certPem] });
    expect(report.indication).toBe('TOTAL_PASSED');
    const der = await verifyCms(fx.vectors.noCertificates.cms, { extraCertificates: [fx.signers.ivanov.certDer] });
    expect(der.signatures[0].signer?.iin).toBe('900101300017');
    // OpenSSL agrees once it is given the certificate too.
    expect(fx.ws.succeeds(['cms', '-verify', '-binary', '-inform', 'DER', '-in', fx.vectors.noCertificates.layers[0].file, '-noverify', '-certfile', fx.signers.ivanov.certPath, '-out', '/dev/null'])).toBe(true);
  });

  it('checks validity at the signing time, not at verification time', async () => {
    // The expired certificate was valid in 2020: a signature claiming 2020 would be in bounds, but this
    // one claims today. And `now` only matters when no signing time is claimed.
    const report = await verifyCms(fx.vectors.expiredAtSigning.cms, { now: new Date('2020-06-01T00:00:00Z') });
    expect(report.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect(report.signatures[0].message).toMatch(/not valid at 20\d\d-/);
    const noTime = await verifyCms(fx.vectors.noSignedAttributes.cms, { now: new Date('2000-01-01T00:00:00Z') });
    expect(noTime.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('accepts the CMS as DER, PEM and base64, as bytes or text', async () => {
    const der = fx.vectors.attached.cms;
    const base64 = der.toString('base64');
    const pem = `-----BEGIN CMS-----\n${base64.replace(/.{64}/g, '$&\n')}\n-----END CMS-----\n`;
    const pkcs7 = pem.replace(/CMS-----/g, 'PKCS7-----');
    for (const input of [der, new Uint8Array(der), base64, pem, pkcs7, Buffer.from(pem), Buffer.from(base64)]) {
      expect((await verifyCms(input, { trustAnchors: [fx.ca.certPem] })).indication).toBe('TOTAL_PASSED');
    }
    expect((await verifyCms('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).subIndication).toBe('FORMAT_FAILURE');
  });

  it('refuses oversized input before decoding it, and nesting deeper than the limit', async () => {
    const big = await verifyCms(fx.vectors.attached.cms, { limits: { maxInputBytes: 1000 } });
    expect(big).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', message: expect.stringContaining('larger than 1000') });
    const bigText = await verifyCms('A'.repeat(10_000), { limits: { maxInputBytes: 1000 } });
    expect(bigText.message).toContain('larger than 1000');
    const deep = await verifyCms(fx.vectors.nested3.cms, { limits: { maxDepth: 2 } });
    expect(deep).toMatchObject({ subIndication: 'FORMAT_FAILURE', message: expect.stringContaining('deeper than 2') });
    const overDefault = Buffer.alloc(64 * 1024 * 1024 + 1, 0x30);
    expect((await verifyCms(overDefault)).message).toBe('input is larger than 67108864 bytes');
    const hugeClaim = Buffer.from('3084ffffffff', 'hex');
    expect((await verifyCms(hugeClaim)).subIndication).toBe('FORMAT_FAILURE');
    const bomb = Buffer.concat([Buffer.from('3080'.repeat(50_000), 'hex'), Buffer.alloc(100_000)]);
    expect((await verifyCms(bomb)).subIndication).toBe('FORMAT_FAILURE');
  });

  it('throws only for unreadable trust anchors (a caller error, not a document one)', async () => {
    await expect(verifyCms(fx.vectors.attached.cms, { trustAnchors: ['not a certificate'] })).rejects.toThrow(CmsCertificateError);
  });

  it('never throws and never passes on mangled input', () => {
    const sources = [fx.vectors.attached.cms, fx.vectors.berIndefinite.cms, fx.vectors.nestedOverCosigned.cms];
    let seed = 1;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let passed = 0;
    for (let round = 0; round < 600; round++) {
      const source = sources[round % sources.length];
      let mangled: Buffer;
      if (round % 3 === 0) {
        mangled = source.subarray(0, random(source.length));
      } else {
        mangled = Buffer.from(source);
        const flips = 1 + random(3);
        // Flip bytes in the structure and signed parts, not only the (hashed) content.
        for (let k = 0; k < flips; k++) mangled[random(mangled.length)] ^= 1 << random(8);
      }
      const report = verifyCmsSync(mangled, { trustAnchors: [fx.ca.certPem] });
      expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(report.indication);
      if (report.indication === 'TOTAL_PASSED') passed++;
    }
    // With a trust anchor every byte is covered by a digest, a signature or a structure check, except a
    // few unsigned ones (the SignedData version, the digestAlgorithms set): a flip there may pass.
    expect(passed).toBeLessThanOrEqual(3);
  });

  it('gives FORMAT_FAILURE for random bytes of any shape', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(1 + (i * 37) % 3000);
      if (i % 2) bytes[0] = 0x30;
      expect(verifyCmsSync(bytes).subIndication).toBe('FORMAT_FAILURE');
    }
  });
});

describe('Kazakhstan GOST algorithms', () => {
  it('names GOST 34.310-2004 and reports INDETERMINATE/UNSUPPORTED_ALGORITHM, never valid', async () => {
    const gost = gostCms(fx.vectors.attached.cms, fx.signers.ivanov.certDer);
    const report = await verifyCms(gost, { trustAnchors: [fx.ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'UNSUPPORTED_ALGORITHM' });
    const [signature] = report.signatures;
    expect(signature.signatureAlgorithm).toBe('GOST 34.311-95 with GOST 34.310-2004');
    expect(signature.signer?.iin).toBe('900101300017');
    expect(signature.checks).toMatchObject({ messageDigest: 'passed', signature: 'unsupported' });
    // OpenSSL cannot verify it either.
    expect(fx.ws.verify(fx.ws.write('gost.p7s', gost))).toBe(false);
  });

  it('reports a GOST digest as unsupported', async () => {
    const gost = gostDigestCms(gostCms(fx.vectors.attached.cms, fx.signers.ivanov.certDer));
    const report = await verifyCms(gost);
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'UNSUPPORTED_ALGORITHM' });
    expect(report.signatures[0]).toMatchObject({ digestAlgorithm: 'GOST 34.311-95', checks: { messageDigest: 'unsupported' } });
  });

  it('still fails a GOST signature whose content was changed', async () => {
    const gost = gostCms(fx.vectors.tamperedContent.cms, fx.signers.ivanov.certDer);
    expect(await verifyCms(gost)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });
});

describe('CMS made like the sandbox makes them (pkijs)', () => {
  let single: Buffer;
  let cosigned: Buffer;
  let nested: Buffer;

  beforeAll(async () => {
    single = await pkijsSign(fx.document, fx.signers.ivanov);
    cosigned = await pkijsCosign(single, fx.signers.petrova);
    nested = await pkijsSign(await pkijsSign(cosigned, fx.signers.seitkali), fx.signers.ivanov);
  });

  it('verifies a single attached signature', async () => {
    const report = await verifyCms(single, { trustAnchors: [fx.ca.certPem] });
    expect([report.indication, order(report)]).toEqual(['TOTAL_PASSED', ['1.0:900101300017']]);
    expect(report.signatures[0].signatureAlgorithm).toBe('SHA-256 with RSA');
    expect(report.content.sha256).toBe(await sha256Hex(fx.document));
  });

  it('verifies co-signing and nesting over it', async () => {
    const co = await verifyCms(cosigned, { trustAnchors: [fx.ca.certPem] });
    expect([co.indication, order(co)]).toEqual(['TOTAL_PASSED', ['1.0:900101300017', '1.1:850615400705']]);
    const report = await verifyCms(nested, { trustAnchors: [fx.ca.certPem] });
    expect([report.indication, report.depth, order(report)]).toEqual([
      'TOTAL_PASSED',
      3,
      ['1.0:900101300017', '1.1:850615400705', '2.0:010517602345', '3.0:900101300017'],
    ]);
    expect(report.content.sha256).toBe(await sha256Hex(fx.document));
  });

  it('is verified by OpenSSL as well', () => {
    for (const [name, bytes] of [['single', single], ['cosigned', cosigned]] as const) {
      expect([name, fx.ws.verify(fx.ws.write(`pkijs-${name}.p7s`, bytes), { caFile: fx.ca.certPath })]).toEqual([name, true]);
    }
  });

  it('detects a changed document inside a nested chain', async () => {
    const at = nested.indexOf(fx.document.subarray(100, 164));
    const bad = Buffer.from(nested);
    bad[at] ^= 0xff;
    const report = await verifyCms(bad);
    expect(report).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    // Only the layer over the document breaks... and every layer above it, whose content changed too.
    expect(report.signatures.map((s: SignatureReport) => s.subIndication ?? 'ok')).toEqual(['HASH_FAILURE', 'HASH_FAILURE', 'HASH_FAILURE', 'HASH_FAILURE']);
  });
});

describe('extractContent', () => {
  it('returns the innermost content, its SHA-256, type and depth', async () => {
    const extracted = extractContent(fx.vectors.nested3.cms);
    expect(Buffer.from(extracted.content).equals(fx.document)).toBe(true);
    expect(extracted).toMatchObject({ sha256: await sha256Hex(fx.document), type: 'pdf', depth: 3 });
    expect(extractContent(fx.vectors.berIndefinite.cms.toString('base64')).depth).toBe(1);
    expect(extractContent(fx.vectors.xmlDocument.cms).type).toBe('xml');
  });

  it('throws CmsFormatError on garbage and on detached content', () => {
    expect(() => extractContent(fx.vectors.truncated.cms)).toThrow(CmsFormatError);
    expect(() => extractContent(fx.vectors.randomBytes.cms)).toThrow(CmsFormatError);
    expect(() => extractContent(fx.vectors.detached.cms)).toThrow(/detached/);
    expect(extractContent(fx.vectors.detached.cms, { detachedContent: fx.document }).depth).toBe(1);
  });
});

describe('hostile structures', () => {
  /** A SignedData around `inner` content with the given certificates and signerInfos (raw encodings). */
  function signedData(content: Buffer, certificates: Buffer[], signerInfos: Buffer[]): Buffer {
    const encap = tlv(0x30, encodeOid('1.2.840.113549.1.7.1'), tlv(0xa0, tlv(0x04, content)));
    const sd = tlv(0x30, encodeSmallInteger(1), tlv(0x31), encap, tlv(0xa0, ...certificates), tlv(0x31, ...signerInfos));
    return tlv(0x30, encodeOid('1.2.840.113549.1.7.2'), tlv(0xa0, sd));
  }

  /** The signerInfo of the attached vector, as it is. */
  function signerInfoOf(cms: Buffer): Buffer {
    const at = cms.lastIndexOf(Buffer.from('3182', 'hex'));
    return cms.subarray(at + 4);
  }

  it('bounds the work on many certificates claiming the same signer, over many layers', () => {
    const cert = fx.signers.ivanov.certDer;
    // 256 distinct certificates with the signer's issuer and serial (their signature bytes differ).
    const impostors = Array.from({ length: 256 }, (_, i) => {
      const copy = Buffer.from(cert);
      copy.writeUInt16BE(i, copy.length - 2);
      return copy;
    });
    const signer = signerInfoOf(fx.vectors.attached.cms);
    let cms = signedData(fx.document, impostors, [signer]);
    for (let depth = 2; depth <= 32; depth++) cms = signedData(cms, impostors, [signer]);
    const report = verifyCmsSync(cms, { trustAnchors: [fx.ca.certPem] });
    expect(report.depth).toBe(32);
    expect(report.signatures).toHaveLength(32);
    expect(report.indication).toBe('TOTAL_FAILED');
    // Over the document: the real signature, and copies of the real certificate whose CA signature is
    // broken: the key verifies the signature, no chain leads to the anchor. Above: the same signerInfo
    // over other content.
    expect(report.signatures[0].subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(new Set(report.signatures.slice(1).map((s) => s.subIndication))).toEqual(new Set(['HASH_FAILURE']));
  });

  it('refuses content split into too many BER pieces', () => {
    const pieces = Buffer.from('0400'.repeat(300_000), 'hex');
    const encap = Buffer.concat([Buffer.from('3080', 'hex'), encodeOid('1.2.840.113549.1.7.1'), Buffer.from('a0802480', 'hex'), pieces, Buffer.alloc(6)]);
    const sd = Buffer.concat([Buffer.from('3080', 'hex'), encodeSmallInteger(1), tlv(0x31), encap, tlv(0x31), Buffer.alloc(2)]);
    const cms = Buffer.concat([Buffer.from('3080', 'hex'), encodeOid('1.2.840.113549.1.7.2'), Buffer.from('a080', 'hex'), sd, Buffer.alloc(4)]);
    expect(verifyCmsSync(cms)).toMatchObject({ subIndication: 'FORMAT_FAILURE', message: expect.stringContaining('pieces') });
  });
});

describe('bounded cryptography', () => {
  it('accepts RSA keys of at most 4096 bits with exponent 65537 only', () => {
    const key = (bits: number, exponentBits: number) => createPublicKey({ key: hostileRsaSpki(bits, exponentBits), format: 'der', type: 'spki' });
    expect(rsaKeyProblem(key(8192, 17))).toMatch(/8192 bits is not accepted/);
    expect(rsaKeyProblem(key(3072, 3072))).toMatch(/exponent of more than 32 bits is not accepted/);
    expect(rsaKeyProblem(createPublicKey(fx.signers.ivanov.certPem))).toBeNull();
  });

  it('reports a signature by a key with exponent 3 INDETERMINATE, naming the reason', () => {
    const keyFile = fx.ws.path('exponent-3.pem');
    fx.ws.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3', '-out', keyFile]);
    const signer = fx.ws.issue(fx.ca, 'exponent-3', { commonName: 'ТРОЙКИН', iin: '900101300017' }, { keyPem: fx.ws.read('exponent-3.pem').toString() });
    const cms = fx.ws.sign(fx.documentFile, fx.ws.path('exponent-3.p7s'), [signer]);
    expect(fx.ws.verify(fx.ws.path('exponent-3.p7s'))).toBe(true); // a real signature: OpenSSL accepts it
    const report = verifyCmsSync(cms, { trustAnchors: [fx.ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'UNSUPPORTED_ALGORITHM' });
    expect(report.signatures[0].message).toMatch(/exponent 3 is not accepted/);
  });

  describe('on a CMS bomb (64 signatures, 40 decoy CA certificates with costly keys)', () => {
    let bomb: Buffer;
    beforeAll(async () => {
      bomb = await pkijsCmsBomb(fx.document, fx.signers.ivanov, fx.ca.certPem, { signers: 64, decoyCas: 40 });
    });

    it('builds each certificate chain once: 64 signatures + 41 chain links fit a budget of 105 checks', () => {
      const report = verifyCmsSync(bomb, { trustAnchors: [fx.ca.certPem], budget: { maxSignatureChecks: 64 + 41 } });
      expect(report.signatures).toHaveLength(64);
      expect(report.signatures.map((s) => s.indication)).toEqual(Array(64).fill('TOTAL_PASSED'));
    });

    it('stops at the budget and says so: the unpaid signatures are INDETERMINATE, never passed', () => {
      const report = verifyCmsSync(bomb, { trustAnchors: [fx.ca.certPem], budget: { maxSignatureChecks: 16 } });
      expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'GENERIC' });
      const unpaid = report.signatures.filter((s) => s.subIndication === 'GENERIC');
      expect(unpaid.length).toBeGreaterThan(48);
      expect(unpaid.some((s) => /stopped after 16 signature checks/.test(s.message))).toBe(true);
      expect(unpaid.some((s) => /budget of signature checks ran out/.test(s.message))).toBe(true);
      expect(report.signatures.filter((s) => s.indication === 'TOTAL_PASSED')).toHaveLength(0); // the chain was never paid for
    });
  });

  it('stops hashing at the byte budget', () => {
    const report = verifyCmsSync(fx.vectors.nested3.cms, { trustAnchors: [fx.ca.certPem], budget: { maxHashedBytes: fx.document.length * 2 } });
    expect(report.indication).toBe('INDETERMINATE');
    const unpaid = report.signatures.filter((s) => s.subIndication === 'GENERIC');
    expect(unpaid.length).toBeGreaterThan(0);
    expect(unpaid.every((s) => /stopped after hashing/.test(s.message) && s.checks.messageDigest === 'not-checked')).toBe(true);
  });
});

