/**
 * What revocation checking needs from outside the CMS core: HTTP, behind a port so that the core stays pure
 * and testable. The service's adapter (src/trust/pki-http.adapter.ts) bounds every fetch in time and size.
 */
export interface PkiHttpPort {
  /** GET `url` (a CRL); rejects on a transport error, a non-2xx status, a timeout or a body over `maxBytes`. */
  get(url: string, maxBytes: number): Promise<Uint8Array>;
  /** POST `body` as `contentType` (an OCSP or timestamp request) and return the answer's body. */
  post(url: string, contentType: string, body: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

/**
 * off: not checked (the report says so). soft: good/revoked are judged, unknown is a warning.
 * hard: unknown makes the signature INDETERMINATE/TRY_LATER.
 */
export type RevocationPolicy = 'off' | 'soft' | 'hard';

export interface RevocationAnswer {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl' | null;
  url: string | null;
  thisUpdate: Date | null;
  /** Until when the answer may be reused (nextUpdate, else a short default). */
  validUntil: Date;
  revokedAt: Date | null;
  reason: string | null;
  message: string;
}

export interface RevocationOptions {
  policy: RevocationPolicy;
  /** Answers learnt so far (shared between verifications); see RevocationChecker. */
  checker: { status(cert: import('../certificate.js').ParsedCertificate, issuer: import('../certificate.js').ParsedCertificate): Promise<RevocationAnswer> };
  /** Most certificates whose status is asked per verification (a stranger's CMS may hold many signers). */
  maxCertificates?: number;
}
