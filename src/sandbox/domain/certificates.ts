import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { PersonName } from './kazakh-names.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** RSA-2048 with SHA-256, as the sandbox issues and signs. */
export const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

/** Object identifiers of the NCA-style subject and of the extensions the sandbox puts in certificates. */
export const OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  givenName: '2.5.4.42',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  /** NCA: "individual" extended key usage, and the policy of signing certificates of individuals. */
  ncaIndividual: '1.2.398.3.3.4.1.1',
  ncaSignPolicy: '1.2.398.3.3.2.1',
} as const;

export interface KeyAndCertificate {
  certificateDer: Uint8Array;
  privateKeyPkcs8: Uint8Array;
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function serial(): string {
  // Positive 16-byte serial (top bit cleared), as hex.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x10;
  return bytes.toString('hex');
}

export async function importPrivateKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: RSA_ALGORITHM.name, hash: RSA_ALGORITHM.hash }, false, ['sign']) as Promise<CryptoKey>;
}

/** The sandbox's own root: clearly named as a sandbox so nobody mistakes it for the NCA. */
export async function createSandboxCa(now: Date): Promise<KeyAndCertificate> {
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [
      { [OID.commonName]: ['Kezek Sandbox NCA (RSA, not a real authority)'] },
      { [OID.organization]: ['Kezek Sandbox'] },
      { [OID.country]: ['KZ'] },
    ],
    notBefore: new Date(now.getTime() - 24 * 3600_000),
    notAfter: new Date(now.getTime() + 20 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: RSA_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificateDer: new Uint8Array(certificate.rawData), privateKeyPkcs8: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

/** The identity written into a signer's certificate. */
export function subjectKey(iin: string, name: PersonName): string {
  return JSON.stringify([iin, name.surname, name.givenName, name.patronymic]);
}

/**
 * An NCA-style signing certificate for a person: CN = surname + given name, SURNAME, GIVENNAME = patronymic,
 * SERIALNUMBER = "IIN" + 12 digits, C = KZ; keyUsage digitalSignature + nonRepudiation; valid one year.
 */
export async function issuePersonCertificate(ca: KeyAndCertificate, iin: string, name: PersonName, now: Date): Promise<KeyAndCertificate & { notAfter: Date }> {
  const caCertificate = new x509.X509Certificate(ca.certificateDer);
  const caKey = await webcrypto.subtle.importKey('pkcs8', ca.privateKeyPkcs8, { name: RSA_ALGORITHM.name, hash: RSA_ALGORITHM.hash }, false, ['sign']);
  const keys = await newKeyPair();
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const subject: x509.JsonName = [
    { [OID.commonName]: [`${name.surname} ${name.givenName}`.trim()] },
    { [OID.surname]: [name.surname] },
    { [OID.serialNumber]: [`IIN${iin}`] },
    { [OID.country]: ['KZ'] },
  ];
  if (name.patronymic) subject.push({ [OID.givenName]: [name.patronymic] });
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCertificate.subjectName,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter,
    publicKey: keys.publicKey as never,
    signingKey: caKey as never,
    signingAlgorithm: RSA_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.ExtendedKeyUsageExtension([OID.emailProtection, OID.ncaIndividual]),
      new x509.CertificatePolicyExtension([OID.ncaSignPolicy]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
    ],
  });
  return {
    certificateDer: new Uint8Array(certificate.rawData),
    privateKeyPkcs8: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    notAfter,
  };
}

export function certificatePem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
