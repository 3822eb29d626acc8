import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { OID, RSA_ALGORITHM, type KeyAndCertificate } from '../../domain/certificates.js';

/** The certificate the sandbox signs identity reports with: an organisation's, issued by the sandbox CA for five years. */
export async function issueReportCertificate(ca: KeyAndCertificate, now: Date): Promise<KeyAndCertificate> {
  const caCertificate = new x509.X509Certificate(ca.certificateDer);
  const caKey = await webcrypto.subtle.importKey('pkcs8', ca.privateKeyPkcs8, { name: RSA_ALGORITHM.name, hash: RSA_ALGORITHM.hash }, false, ['sign']);
  const keys = (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x10;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: [{ [OID.commonName]: ['Kezek Sandbox KYC reports'] }, { [OID.organization]: ['Kezek Sandbox'] }, { [OID.country]: ['KZ'] }],
    issuer: caCertificate.subjectName,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 5 * 365 * 24 * 3600_000),
    publicKey: keys.publicKey as never,
    signingKey: caKey as never,
    signingAlgorithm: RSA_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
    ],
  });
  return { certificateDer: new Uint8Array(certificate.rawData), privateKeyPkcs8: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}
