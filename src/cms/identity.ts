import { parseCertificate, readCertificates, type DistinguishedName, type ParsedCertificate } from './certificate.js';

/**
 * Who a Kazakhstan (NCA-style) certificate names. NCA subjects carry: CN = surname and given name;
 * SURNAME; GIVENNAME = the patronymic; SERIALNUMBER = "IIN" + 12 digits; C = KZ; for a legal entity's
 * employee O = organisation and OU = "BIN" + 12 digits (some certificates put the BIN in SERIALNUMBER).
 */
export interface SignerIdentity {
  iin: string | null;
  bin: string | null;
  commonName: string | null;
  surname: string | null;
  givenName: string | null;
  organization: string | null;
}

function first(name: DistinguishedName, type: string): string | null {
  return name.attributes.find((a) => a.type === type)?.value ?? null;
}

const PATTERNS = { IIN: /^IIN(\d{12})$/i, BIN: /^BIN(\d{12})$/i };

function tagged(name: DistinguishedName, prefix: 'IIN' | 'BIN', types: string[]): string | null {
  const pattern = PATTERNS[prefix];
  for (const attribute of name.attributes) {
    if (!types.includes(attribute.type)) continue;
    const match = pattern.exec(attribute.value.trim());
    if (match) return match[1];
  }
  return null;
}

export function identityFromName(subject: DistinguishedName): SignerIdentity {
  return {
    iin: tagged(subject, 'IIN', ['SERIALNUMBER']),
    bin: tagged(subject, 'BIN', ['OU', 'SERIALNUMBER']),
    commonName: first(subject, 'CN'),
    surname: first(subject, 'SURNAME'),
    givenName: first(subject, 'GIVENNAME'),
    organization: first(subject, 'O'),
  };
}

/**
 * The identity in a certificate given as DER bytes, PEM text, or an already parsed certificate.
 * Throws CmsCertificateError / CmsFormatError when the input is not a certificate.
 */
export function identityFromCertificate(certificate: Uint8Array | string | ParsedCertificate): SignerIdentity {
  const parsed =
    typeof certificate === 'string'
      ? readCertificates(certificate)[0]
      : certificate instanceof Uint8Array
        ? certificate[0] === 0x30
          ? parseCertificate(certificate)
          : readCertificates(certificate)[0]
        : certificate;
  return identityFromName(parsed.subject);
}
