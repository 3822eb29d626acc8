/**
 * GOST inputs for `npm run bench:cms`: Kalkan's GOST 34.10-2015 (512) signature from the NCA test vectors
 * beside the repository (../shared/vectors/kalkan), alone in a CMS of its own (the RSA co-signer of the
 * original file is left out: its certificate had expired), with NCA's GOST test CA as the trust anchor.
 * The baseline does the same cryptography without the CMS: Streebog-512 of the content against the
 * messageDigest, then Streebog-512 and a GOST verification for the signer's signature and for the CA's
 * signature on the signer's certificate, with keys read and values decoded before timing.
 */
import { readCertificates, type ParsedCertificate } from '../src/cms/index.js';
import { publicKeyOf, parseCertificate } from '../src/cms/certificate.js';
import { encodeOid, encodeSmallInteger, tlv } from '../src/cms/der/der-writer.js';
import { bytesToBigIntLE, gostVerify, type GostPublicKey } from '../src/cms/gost/gost3410.js';
import { KzGostKey } from '../src/cms/gost/kz-gost.js';
import { streebog } from '../src/cms/gost/streebog.js';
import { readNestedCms } from '../src/cms/signed-data.js';
import { EXTERNAL_VECTORS_DIR, externalVectorPath, readExternalVector } from '../src/cms/testing/external-vectors.js';
import { existsSync } from 'node:fs';

const CMS = ['kalkan', 'gost_rsa_two_signers.p7s'];
const CA = ['kalkan', 'nca_gost2015_test.cer'];

export interface GostBenchInputs {
  cms: Buffer;
  anchors: ParsedCertificate[];
  /** The irreducible work for one verification of `cms`. */
  baseline: () => void;
}

interface Check {
  data: Uint8Array;
  key: GostPublicKey;
  r: bigint;
  s: bigint;
}

function gostKey(cert: ParsedCertificate): GostPublicKey {
  const key = publicKeyOf(cert);
  if (!(key instanceof KzGostKey) || !key.key) throw new Error(`not a usable GOST key: ${cert.subject.text}`);
  return key.key;
}

function check(data: Uint8Array, key: GostPublicKey, signature: Uint8Array): Check {
  const size = key.curve.size;
  return { data, key, r: bytesToBigIntLE(signature.subarray(0, size)), s: bytesToBigIntLE(signature.subarray(size)) };
}

/** Null (and why) when the vectors are not beside the repository. */
export function gostBenchInputs(): GostBenchInputs | string {
  const missing = [CMS, CA].filter((parts) => !existsSync(externalVectorPath(...parts)));
  if (missing.length) return `${missing.map((p) => p.join('/')).join(', ')} not found under ${EXTERNAL_VECTORS_DIR}`;
  const layer = readNestedCms(readExternalVector(...CMS), undefined).layers[0];
  const signer = layer.signerInfos[0];
  const certDer = layer.certificates[0];
  const content = Buffer.concat(layer.content!.segments);
  const streebog512 = tlv(0x30, encodeOid('1.2.398.3.10.1.3.3'), Buffer.of(0x05, 0x00));
  const signedData = tlv(
    0x30,
    encodeSmallInteger(1),
    tlv(0x31, streebog512),
    tlv(0x30, encodeOid('1.2.840.113549.1.7.1'), tlv(0xa0, tlv(0x04, content))),
    tlv(0xa0, certDer),
    tlv(0x31, signer.encoding),
  );
  const cms = tlv(0x30, encodeOid('1.2.840.113549.1.7.2'), tlv(0xa0, signedData));

  const anchors = readCertificates(readExternalVector(...CA));
  const leaf = parseCertificate(certDer);
  const messageDigest = Buffer.from(signer.signedAttrs!.messageDigest!);
  const checks = [check(signer.signedAttrs!.signedBytes, gostKey(leaf), signer.signature), check(leaf.tbs, gostKey(anchors[0]), leaf.signatureValue)];
  const baseline = () => {
    if (!streebog(512, content).equals(messageDigest)) throw new Error('baseline: digest mismatch');
    for (const c of checks) {
      if (!gostVerify(c.key, bytesToBigIntLE(streebog(512, c.data)), c.r, c.s)) throw new Error('baseline: GOST signature invalid');
    }
  };
  return { cms, anchors, baseline };
}
