import type { Indication, SignatureReport, SubIndication, VerificationReport } from '../../cms/index.js';
import { maskIin } from '../../common/domain/pii-mask.js';
import { maskPii } from '../../common/logging/pii.js';

/**
 * What the public verification endpoints may show: the verification report of the design note, with every
 * IIN masked (`********0126`), and signers listed in signing order.
 */

/** `SERIALNUMBER=IIN900101300126` (and any other 12 digits after IIN) in a distinguished name string. */
function maskNameString(name: string): string {
  return name.replace(/IIN(\d{8})(\d{4})/gi, (_m, _head: string, tail: string) => `IIN********${tail}`);
}

export function maskReport(report: VerificationReport): VerificationReport {
  return {
    ...report,
    signatures: report.signatures.map((s) => ({
      ...s,
      signer: s.signer ? { ...s.signer, iin: maskIin(s.signer.iin) } : null,
      certificate: s.certificate ? { ...s.certificate, subject: maskNameString(s.certificate.subject), issuer: maskNameString(s.certificate.issuer) } : null,
    })),
  };
}

/** Fields that hold hashes, serial numbers and identifiers the holder already has: shown as they are. */
const IDENTIFIER_KEYS = new Set(['sha256', 'serialNumber', 'documentId', 'checkId', 'verifyUrl']);

/**
 * Every other text of a public answer masked like the log lines: messages name certificate subjects
 * (`SERIALNUMBER=IIN…`), document names may hold an IIN or a phone number. The last line of defence after
 * the fields masked one by one above.
 */
export function maskPublicAnswer<T>(value: T, key = '', depth = 0): T {
  if (typeof value === 'string') return (IDENTIFIER_KEYS.has(key) ? value : maskPii(maskNameString(value))) as T;
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskPublicAnswer(item, key, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPublicAnswer(v, k, depth + 1)])) as T;
}

export interface PublicSigner {
  /** 1 = signed first. */
  order: number;
  name: string | null;
  organization: string | null;
  /** Masked: `********0126`. */
  iin: string | null;
  /** From the signingTime attribute of the CMS (ISO 8601). */
  signingTime: string | null;
  certificate: { serialNumber: string; issuer: string } | null;
  indication: Indication;
  subIndication?: SubIndication;
}

export function publicSigners(report: VerificationReport | null): PublicSigner[] {
  if (!report) return [];
  return report.signatures.map((s: SignatureReport, i) => ({
    order: i + 1,
    name: s.signer?.commonName ?? null,
    organization: s.signer?.organization ?? null,
    iin: maskIin(s.signer?.iin),
    signingTime: s.signingTime,
    certificate: s.certificate ? { serialNumber: s.certificate.serialNumber, issuer: maskNameString(s.certificate.issuer) } : null,
    indication: s.indication,
    ...(s.subIndication ? { subIndication: s.subIndication } : {}),
  }));
}

export type FileKind = 'pdf' | 'xml' | 'cms' | 'unknown';

export type VerificationMatch = 'original' | 'archive-copy' | 'cms' | 'none';

/** The answer of `POST /v1/verify`. */
export interface PublicVerification {
  match: VerificationMatch;
  /**
   * original / archive-copy: true when the bytes are exactly those signed or issued; false for a copy whose
   * DocumentId is known but whose bytes differ (altered). cms: true when every signature verifies. none: null.
   */
  intact: boolean | null;
  message: string;
  file: { sha256: string; size: number; type: FileKind; documentId: string | null };
  /** The CMS verification report (IINs masked): the uploaded CMS, or the signed document's latest CMS. */
  report: VerificationReport | null;
  signers: PublicSigner[];
  envelope: { status: string; documents: { name: string; sha256: string }[] } | null;
  /** The provider session (check_id) the archive copy was issued in, when the file is one. */
  session: { checkId: string; verifyUrl: string } | null;
}

export interface PublicSessionDocument {
  name: string;
  /** SHA-256 of the original document. */
  sha256: string;
  copies: { name: string; sha256: string; size: number; documentId: string | null }[];
  report: VerificationReport | null;
  signers: PublicSigner[];
}

/** The page behind a check_id (the QR code of archive copies). */
export interface PublicSession {
  checkId: string;
  finishedAt: string | null;
  envelope: { status: string };
  /** Kezek refused this session's signature (wrong person, content or signature): it is not part of the envelope. */
  rejected: boolean;
  archive: 'PENDING' | 'STORED' | 'REFUSED';
  documents: PublicSessionDocument[];
  /** Files of the archive whose DocumentId names none of the session's documents. */
  otherFiles: PublicSessionDocument['copies'];
}
