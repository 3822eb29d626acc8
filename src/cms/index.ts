/**
 * Kezek's CMS core: pure code (no Nest, no database) that reads, verifies and merges the CMS (PKCS#7
 * SignedData) signatures Cloud EDS returns, including Kazakhstan NCA identities.
 *
 * What the rest of Kezek calls:
 *
 * - `verifyCms(input, options?) → Promise<VerificationReport>`
 *   input: the CMS as DER/BER bytes, PEM, or base64 (string or bytes). options:
 *   `{ detachedContent?: Uint8Array; trustAnchors?: (string|Uint8Array)[]; extraCertificates?: (string|Uint8Array)[]; now?: Date; limits? }`.
 *   Verifies every signature of the CMS and of every CMS nested in its content (the next signer signed the
 *   previous CMS), and co-signatures side by side. Per signature: messageDigest against the content, the
 *   signature value, the certificate's validity at the claimed signing time (or `now`), keyUsage allowing
 *   signing, and the chain to `trustAnchors` (none given: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, fail closed). Report (see report.ts): `indication` (worst of the
 *   signatures) TOTAL_PASSED | TOTAL_FAILED | INDETERMINATE with `subIndication`; `signatures` in signing
 *   order (innermost = first signer first, each with `depth` 1 = over the document, and `index` within its
 *   SignedData), each with signer identity {iin, bin, commonName, surname, givenName, organization},
 *   certificate {serialNumber, issuer, subject, notBefore, notAfter, sha256}, signingTime, digestAlgorithm,
 *   signatureAlgorithm, indication, subIndication, message, checks; `content` {sha256, type: pdf|xml|unknown,
 *   detached, size}; `depth`; `message`. Never throws for a bad document (garbage, truncated, too large →
 *   TOTAL_FAILED/FORMAT_FAILURE). Kazakhstan GOST 34.10-2015 signatures with Streebog digests (1.2.398.3.10…)
 *   are verified (./gost); GOST 34.310-2004 and other GOST are INDETERMINATE/UNSUPPORTED_ALGORITHM, named.
 *   Throws CmsCertificateError only for unreadable trustAnchors/extraCertificates.
 *   Validity (and revocation) is judged at the genTime of a verified RFC 3161 signature timestamp (embedded
 *   id-aa-signatureTimeStampToken, or `timestampTokens` given beside the CMS), else at the claimed signingTime,
 *   else at `now`; each signature reports `validityTime {time, source}`, `timestamp`, `revocation`, `warnings`.
 *   With `revocation: {policy, checker}` (a RevocationChecker over a PkiHttpPort) each signing certificate whose
 *   chain passed is checked by OCSP, then CRL.
 *   `verifyCmsSync` is the same without revocation (it needs the network), synchronous.
 *
 * - `extractContent(input, options?) → { content, sha256, type, depth }`: the innermost content without
 *   verifying. Throws CmsFormatError on garbage or when the content is detached.
 *
 * - `mergeSignedData(cmsList, options?) → Uint8Array` (DER): one SignedData with all signerInfos and
 *   certificates of CMS that signed the same content (a parallel group). Throws CmsMergeError (`code`:
 *   EMPTY, NOT_SIGNED_DATA, CONTENT_TYPE_MISMATCH, CONTENT_MISMATCH, CONTENT_UNKNOWN, TOO_MANY_SIGNERS).
 *
 * - `parseIin(iin) → { valid, reason?, birthDate?, sex? }`, `isValidIin(iin)` (from ./iin.js as well).
 *
 * - `identityFromCertificate(cert: Uint8Array | string | ParsedCertificate) → SignerIdentity`.
 *
 * Limits (`limits` option, defaults in DEFAULT_LIMITS): 64 MiB input, 32 nesting levels, 64 signers per
 * SignedData, 256 certificates per SignedData. Work (`budget` option, defaults in DEFAULT_BUDGET): signature
 * checks and bytes hashed per verification; RSA keys above 4096 bits or with an exponent other than 65537
 * are refused (INDETERMINATE).
 */
export { outermostSignatureValues, verifyCms, verifyCmsSync, type VerifyCmsOptions } from './verify-cms.js';
export { extractContent, type ExtractedContent } from './extract-content.js';
export { mergeSignedData, type MergeOptions } from './merge-signed-data.js';
export { parseIin, isValidIin, type IinInfo } from './iin.js';
export { identityFromCertificate, type SignerIdentity } from './identity.js';
export { configureKeyReuse, parseCertificate, readCertificates, type ParsedCertificate } from './certificate.js';
export { sniffContentType, type ContentKind } from './content-type.js';
export { DEFAULT_LIMITS, type CmsLimits } from './signed-data.js';
export { DEFAULT_BUDGET, type VerificationBudget } from './budget.js';
export { CmsError, CmsFormatError, CmsCertificateError, CmsMergeError, type CmsMergeErrorCode } from './cms.errors.js';
export { algorithmName } from './oids.js';
export { RevocationChecker, type RevocationCheckerOptions } from './revocation/revocation-checker.js';
export type { PkiHttpPort, RevocationAnswer, RevocationOptions, RevocationPolicy } from './revocation/revocation-port.js';
export { readTstInfo, type TstInfo } from './tst-info.js';
export {
  EXIT_CODE,
  REVOCATION_NOT_CHECKED,
  type RevocationSummary,
  type TimestampSummary,
  type ValidityTime,
  type CertificateSummary,
  type CheckStatus,
  type ContentSummary,
  type Indication,
  type SignatureChecks,
  type SignatureReport,
  type SubIndication,
  type VerificationReport,
} from './report.js';
