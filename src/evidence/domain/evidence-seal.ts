import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { signDetachedCms } from '../../cms/sign-detached.js';

/**
 * The instance seal of an evidence pack: a detached CMS over the exact bytes of manifest.json, signed with
 * the instance's seal key. The manifest records the SHA-256 of every other file, so whoever holds the seal
 * certificate catches any rewrite of the pack (audit trail, hashes, manifest) that a holder of the pack alone
 * could otherwise recompute. A relying party needs nothing but OpenSSL:
 *   openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile seal.pem -purpose any -out /dev/null
 */
export const SEAL_PATH = 'manifest.json.p7s';

/**
 * With TSA_URL: an RFC 3161 token over the seal's signature value, beside the seal (kept apart so that the
 * seal stays a plain detached CMS that OpenSSL and `--seal` check against the seal certificate alone).
 */
export const SEAL_TIMESTAMP_PATH = 'manifest.json.p7s.tsr';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

export interface SealIdentity {
  certificateDer: Uint8Array;
  privateKeyPkcs8: Uint8Array;
}

/** A self-signed seal certificate for an instance that was given none (the embedded default). */
export async function createSealIdentity(instanceName: string, now: Date): Promise<SealIdentity> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x10;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: [{ '2.5.4.3': [`Kezek evidence seal (${instanceName})`.slice(0, 64)] }, { '2.5.4.10': ['Kezek'] }],
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 30 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificateDer: new Uint8Array(certificate.rawData), privateKeyPkcs8: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

export async function importSealKey(pkcs8: Uint8Array): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: RSA.name, hash: RSA.hash }, false, ['sign']);
}

/** A detached CMS (DER) over `manifest`: contentType, signingTime and messageDigest signed, the certificate included. */
export async function sealManifest(manifest: Uint8Array, seal: { certificateDer: Uint8Array; privateKey: webcrypto.CryptoKey }, signingTime: Date): Promise<Uint8Array> {
  return signDetachedCms(manifest, seal, { signingTime });
}
