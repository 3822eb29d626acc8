/** Object identifiers the CMS core reads, and readable names for the algorithms it reports. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** id-aa-signatureTimeStampToken: an RFC 3161 token over the signature value, as an unsigned attribute. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** id-ct-TSTInfo: the content type of a timestamp token. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  extendedKeyUsage: '2.5.29.37',
  /** id-kp-timeStamping. */
  timeStamping: '1.3.6.1.5.5.7.3.8',
  /** id-kp-OCSPSigning. */
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  /** id-pkix-ocsp-nocheck: a delegated OCSP responder's own certificate is not checked for revocation. */
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  crlDistributionPoints: '2.5.29.31',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
} as const;

/** The Kazakhstan national algorithms (GOST 34.310-2004, GOST 2015) live under this arc. */
export const KZ_GOST_ARC = '1.2.398.3.10';

const NAMES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.4': 'MD5 with RSA',
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA',
  '1.2.840.113549.1.1.14': 'SHA-224 with RSA',
  '1.2.840.113549.1.1.11': 'SHA-256 with RSA',
  '1.2.840.113549.1.1.12': 'SHA-384 with RSA',
  '1.2.840.113549.1.1.13': 'SHA-512 with RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10045.4.1': 'ECDSA with SHA-1',
  '1.2.840.10045.4.3.1': 'ECDSA with SHA-224',
  '1.2.840.10045.4.3.2': 'ECDSA with SHA-256',
  '1.2.840.10045.4.3.3': 'ECDSA with SHA-384',
  '1.2.840.10045.4.3.4': 'ECDSA with SHA-512',
  '1.3.101.112': 'Ed25519',
  // Kazakhstan (NCA, Kalkan).
  '1.2.398.3.10.1.1.1.1': 'GOST 34.310-2004',
  '1.2.398.3.10.1.1.1.2': 'GOST 34.311-95 with GOST 34.310-2004',
  '1.2.398.3.10.1.1.2.1': 'GOST 34.10-2015 (256-bit key)',
  '1.2.398.3.10.1.1.2.2': 'GOST 34.10-2015 (512-bit key)',
  '1.2.398.3.10.1.1.2.3.1': 'GOST 34.10-2015 with GOST 34.11-2015 (256)',
  '1.2.398.3.10.1.1.2.3.2': 'GOST 34.10-2015 with GOST 34.11-2015 (512)',
  '1.2.398.3.10.1.3.1': 'GOST 34.311-95',
  '1.2.398.3.10.1.3.2': 'GOST 34.11-2015 (256)',
  '1.2.398.3.10.1.3.3': 'GOST 34.11-2015 (512)',
  // Russian GOST, seen in some foreign certificates.
  '1.2.643.2.2.3': 'GOST R 34.11-94 with GOST R 34.10-2001',
  '1.2.643.2.2.9': 'GOST R 34.11-94',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512)',
  '1.2.643.7.1.1.2.2': 'GOST R 34.11-2012 (256)',
  '1.2.643.7.1.1.2.3': 'GOST R 34.11-2012 (512)',
  '1.2.643.7.1.1.3.2': 'GOST R 34.10-2012 with GOST R 34.11-2012 (256)',
  '1.2.643.7.1.1.3.3': 'GOST R 34.10-2012 with GOST R 34.11-2012 (512)',
};

export function isGostOid(oid: string): boolean {
  return oid.startsWith(`${KZ_GOST_ARC}.`) || oid.startsWith('1.2.643.');
}

/** A readable name for an algorithm OID; unknown OIDs are returned as they are. */
export function algorithmName(oid: string): string {
  const name = NAMES[oid];
  if (name) return name;
  if (oid.startsWith(`${KZ_GOST_ARC}.`)) return `Kazakhstan GOST algorithm (${oid})`;
  if (oid.startsWith('1.2.643.')) return `GOST algorithm (${oid})`;
  return oid;
}
