import * as pkijs from 'pkijs';

/**
 * Kazakhstan GOST test vectors, crafted from real RSA ones: no tool here can make a GOST 34.310 signature,
 * so the algorithm identifiers are rewritten (same lengths) and the bytes left as they are. The result is
 * what a verifier without GOST sees in a Kalkan CMS: algorithms it must name and refuse to call valid.
 */
const RSA_ENCRYPTION = Buffer.from('06092a864886f70d010101', 'hex');
const SHA256_WITH_RSA = Buffer.from('06092a864886f70d01010b', 'hex');
/** 1.2.398.3.10.1.1.1.1: GOST 34.310-2004 public key. */
export const GOST_KEY = Buffer.from('06092a830e030a01010101', 'hex');
/** 1.2.398.3.10.1.1.1.2: GOST 34.311-95 with GOST 34.310-2004 signature. */
export const GOST_SIGNATURE = Buffer.from('06092a830e030a01010102', 'hex');
/** 1.2.398.3.10.1.3.1: GOST 34.311-95 digest. */
export const GOST_DIGEST_OID = '1.2.398.3.10.1.3.1';

function replaceAll(bytes: Buffer, from: Buffer, to: Buffer, expected: number): Buffer {
  if (from.length !== to.length) throw new Error('replacement must keep the length');
  const out = Buffer.from(bytes);
  let count = 0;
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + from.length)) {
    to.copy(out, at);
    count++;
  }
  if (count !== expected) throw new Error(`expected ${expected} occurrences, found ${count}`);
  return out;
}

/** The certificate with a GOST 34.310-2004 key and a GOST signature algorithm. */
export function gostCertificate(certDer: Buffer): Buffer {
  return replaceAll(replaceAll(certDer, RSA_ENCRYPTION, GOST_KEY, 1), SHA256_WITH_RSA, GOST_SIGNATURE, 2);
}

/**
 * An OpenSSL CMS (one RSA signer, its certificate included, SHA-256) turned into a GOST one: the signer's
 * certificate becomes a GOST certificate and the signerInfo's signature algorithm GOST 34.310-2004. The
 * SHA-256 messageDigest still matches the content.
 */
export function gostCms(cms: Buffer, signerCertDer: Buffer): Buffer {
  const at = cms.indexOf(signerCertDer);
  if (at < 0) throw new Error('signer certificate not found in the CMS');
  const out = Buffer.from(cms);
  gostCertificate(signerCertDer).copy(out, at);
  return replaceAll(out, RSA_ENCRYPTION, GOST_SIGNATURE, 1);
}

/** The same with the digest algorithm GOST 34.311-95 as well (re-encoded with pkijs: the OID is shorter). */
export function gostDigestCms(gost: Buffer): Buffer {
  const contentInfo = pkijs.ContentInfo.fromBER(gost);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: GOST_DIGEST_OID });
  signedData.digestAlgorithms = [digestAlgorithm];
  signedData.signerInfos[0].digestAlgorithm = digestAlgorithm;
  const out = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(out.toSchema().toBER(false));
}
