import { contentDigest, digestSegments, verifySignature } from './algorithms.js';
import { BudgetMeter, DEFAULT_BUDGET, type VerificationBudget } from './budget.js';
import { chainAt, findChainPath, sameName, type ChainResult } from './chain.js';
import { CertificatePool, normalisedName } from './certificate-pool.js';
import { publicKeyOf, readCertificates, readName, type ParsedCertificate } from './certificate.js';
import { CmsFormatError } from './cms.errors.js';
import { sniffContentType, type ContentKind } from './content-type.js';
import { asBuffer, readTlv } from './der/der-reader.js';
import { identityFromName } from './identity.js';
import { decodeCmsInput } from './input.js';
import { algorithmName, OID } from './oids.js';
import type { ContentSummary, Indication, SignatureChecks, SignatureReport, SubIndication, TimestampSummary, ValidityTime, VerificationReport } from './report.js';
import { REVOCATION_NOT_CHECKED, worse } from './report.js';
import type { RevocationOptions } from './revocation/revocation-port.js';
import { judgeRevocation } from './revocation/judge-revocation.js';
import { readTstInfo, type TstInfo } from './tst-info.js';
import { contentBytes, DEFAULT_LIMITS, readNestedCms, readSignedDataLayer, type CmsLimits, type ContentRef, type ParsedCms, type RawSignerInfo, type SignedDataLayer } from './signed-data.js';

export interface VerifyCmsOptions {
  /** The signed document, for a detached signature (used by the first layer without eContent). */
  detachedContent?: Uint8Array;
  /**
   * Trust anchors: PEM (one or more blocks), DER, or certificates parsed once with `readCertificates`
   * (cheaper for a service that verifies often). Without anchors no signature can pass: each is
   * INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND (fail closed).
   */
  trustAnchors?: (string | Uint8Array | ParsedCertificate)[];
  /** Certificates to look for signers and intermediates in, besides the CMS's own. */
  extraCertificates?: (string | Uint8Array | ParsedCertificate)[];
  /** The time used when a signature claims no signing time (default: now). */
  now?: Date;
  limits?: Partial<CmsLimits>;
  /** Work allowed for this verification (default DEFAULT_BUDGET); public routes pass less. */
  budget?: Partial<VerificationBudget>;
  /**
   * RFC 3161 timestamp tokens kept beside the CMS (Kezek timestamps accepted signatures itself): each is
   * used for the signature whose value its messageImprint hashes, like an embedded signatureTimeStampToken.
   */
  timestampTokens?: Uint8Array[];
  /** Revocation checks (OCSP, CRL) of signing certificates, by verifyCms only (they need the network). */
  revocation?: RevocationOptions;
}

export interface Finding {
  indication: Indication;
  subIndication: SubIndication;
  message: string;
}

/** Order in which a signature's problems are reported: the first one found wins. */
const PRIORITY: SubIndication[] = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'SIGNED_DATA_NOT_FOUND',
  'UNSUPPORTED_ALGORITHM',
  'TIMESTAMP_FAILURE',
  'OUT_OF_BOUNDS_NO_POE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'TRY_LATER',
  'GENERIC',
];

class DigestCache {
  private readonly cache = new Map<ContentRef, Map<string, Buffer>>();

  /** The digest, or null when the budget cannot pay for hashing the content (again). */
  of(content: ContentRef, hash: string, meter?: BudgetMeter): Buffer | null {
    let perContent = this.cache.get(content);
    if (!perContent) this.cache.set(content, (perContent = new Map()));
    let digest = perContent.get(hash);
    if (!digest) {
      if (meter && !meter.hash(content.size)) return null;
      perContent.set(hash, (digest = digestSegments(hash, content.segments)));
    }
    return digest;
  }
}

interface Context {
  pool: CertificatePool;
  anchors: ParsedCertificate[];
  now: Date;
  digests: DigestCache;
  meter: BudgetMeter;
  /** Paths found per certificate (by SHA-256): co-signers sharing a certificate pay for its chain once. */
  chains: Map<string, ChainResult>;
  /** Tokens given beside the CMS, with their TSTInfo when readable. */
  externalTokens: { token: Uint8Array; info: TstInfo | null }[];
}

/** Most tokens accepted beside one CMS. */
const MAX_EXTERNAL_TOKENS = 256;

function externalToken(token: Uint8Array): { token: Uint8Array; info: TstInfo | null } {
  try {
    const layer = readSignedDataLayer(token);
    return { token, info: layer.content && layer.eContentType === OID.tstInfo ? readTstInfo(contentBytes(layer.content)) : null };
  } catch (error) {
    if (error instanceof CmsFormatError) return { token, info: null };
    throw error;
  }
}

/** The tokens given beside the CMS whose imprint is this signature value's hash. */
function externalTokensFor(signature: Uint8Array, ctx: Context): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (const { token, info } of ctx.externalTokens) {
    const hash = info ? contentDigest(info.hashAlgorithm) : null;
    if (!info || !hash || !ctx.meter.hash(signature.length)) continue;
    if (digestSegments(hash, [signature]).equals(asBuffer(info.hashedMessage))) found.push(token);
  }
  return found;
}

/** Most certificates tried for one signer identifier (several can claim it; only one can verify). */
const MAX_SIGNER_CANDIDATES = 8;

function signerCandidates(signer: RawSignerInfo, layerCerts: Set<ParsedCertificate>, pool: CertificatePool): ParsedCertificate[] {
  const { sid } = signer;
  let found: ParsedCertificate[];
  if (sid.kind === 'issuerAndSerial') {
    const sameSerial = pool.withSerial(sid.serial);
    found = sameSerial.filter((c) => sameName(c.issuer.der, sid.issuer));
    if (found.length === 0 && sameSerial.length > 0) {
      // The same issuer name encoded differently (PrintableString vs UTF8String): compare decoded names.
      try {
        const wanted = normalisedName(readName(sid.issuer, readTlv(sid.issuer, 0, sid.issuer.length)).attributes);
        found = sameSerial.filter((c) => normalisedName(c.issuer.attributes) === wanted);
      } catch (error) {
        if (!(error instanceof CmsFormatError)) throw error;
      }
    }
  } else {
    found = pool.withKeyId(sid.keyId);
  }
  // The signer's own SignedData first.
  return [...found.filter((c) => layerCerts.has(c)), ...found.filter((c) => !layerCerts.has(c))].slice(0, MAX_SIGNER_CANDIDATES);
}

/** OpenSSL names the key type alone (rsaEncryption) and lets digestAlgorithm name the hash: say both. */
function signatureAlgorithmName(signer: RawSignerInfo): string {
  const { oid } = signer.signatureAlgorithm;
  if (oid === OID.rsaEncryption) return `${algorithmName(signer.digestAlgorithm.oid)} with RSA`;
  if (oid === OID.ecPublicKey) return `ECDSA with ${algorithmName(signer.digestAlgorithm.oid)}`;
  return algorithmName(oid);
}

function certificateSummary(cert: ParsedCertificate) {
  return {
    serialNumber: cert.serialHex,
    issuer: cert.issuer.text,
    subject: cert.subject.text,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: cert.sha256,
  };
}

/** How a signerInfo is verified: a document signature, or the signature of a timestamp token. */
interface SignerPurpose {
  /** Judge validity at this time (a timestamp token: its genTime) instead of signingTime/now. */
  at?: Date;
  /** An extendedKeyUsage the certificate must carry (a TSA: id-kp-timeStamping). */
  extendedKeyUsage?: string;
  /** Whether the signerInfo's own timestamps are read (not for a timestamp token's signer). */
  timestamps: boolean;
}

/** What verifying one signerInfo found, before it is summed up (revocation may still add to it). */
export interface SignerOutcome {
  findings: Finding[];
  notes: string[];
  warnings: string[];
  report: Omit<SignatureReport, 'indication' | 'subIndication' | 'message'>;
  /** The signing certificate and its trusted path (leaf first), when the chain passed. */
  path: ParsedCertificate[] | null;
  /** The time validity is judged at, and whether a timestamp proves it. */
  at: Date;
  proven: boolean;
}

interface VerifiedTimestamp {
  summary: TimestampSummary;
  genTime: Date | null;
}

/**
 * One signature timestamp token (RFC 3161 + RFC 5652 appendix): a SignedData over a TSTInfo whose
 * messageImprint is the hash of `signatureValue`, signed by a TSA whose certificate carries
 * id-kp-timeStamping and chains to the anchors at the token's genTime.
 */
function verifyTimestampToken(token: Uint8Array, signatureValue: Uint8Array, depth: number, ctx: Context): VerifiedTimestamp {
  const failed = (message: string, info?: TstInfo): VerifiedTimestamp => ({
    summary: {
      status: 'failed',
      genTime: info?.genTime.toISOString() ?? null,
      serialNumber: info?.serialHex ?? null,
      tsa: info?.tsaName ?? null,
      policy: info?.policy ?? null,
      message: `the signature timestamp does not verify: ${message}`,
    },
    genTime: null,
  });
  let layer: SignedDataLayer;
  let info: TstInfo;
  try {
    layer = readSignedDataLayer(token);
    if (layer.eContentType !== OID.tstInfo) return failed(`its content type is ${layer.eContentType}, not TSTInfo`);
    if (!layer.content) return failed('it carries no TSTInfo');
    if (layer.signerInfos.length !== 1) return failed(`it has ${layer.signerInfos.length} signers (one expected)`);
    info = readTstInfo(contentBytes(layer.content));
  } catch (error) {
    if (error instanceof CmsFormatError) return failed(`malformed token (${error.message})`);
    throw error;
  }
  const hash = contentDigest(info.hashAlgorithm);
  if (!hash) return failed(`imprint algorithm ${algorithmName(info.hashAlgorithm)} cannot be computed here`, info);
  if (!ctx.meter.hash(signatureValue.length)) return failed(ctx.meter.exhausted!, info);
  if (!digestSegments(hash, [signatureValue]).equals(asBuffer(info.hashedMessage))) return failed('its messageImprint is not the hash of this signature value', info);
  const own = new Set<ParsedCertificate>();
  for (const der of layer.certificates) {
    const cert = ctx.pool.addDer(der);
    if (cert) own.add(cert);
  }
  const signed = verifySigner(layer, own, layer.signerInfos[0], depth, ctx, { at: info.genTime, extendedKeyUsage: OID.timeStamping, timestamps: false });
  const settled = settle(signed);
  const tsa = info.tsaName ?? signed.report.certificate?.subject ?? null;
  if (settled.indication !== 'TOTAL_PASSED') return failed(`TSA signature ${settled.subIndication}: ${settled.message}`, { ...info, tsaName: tsa });
  return {
    summary: { status: 'passed', genTime: info.genTime.toISOString(), serialNumber: info.serialHex, tsa, policy: info.policy, message: `timestamped by ${tsa ?? 'a trusted TSA'} at ${info.genTime.toISOString()}` },
    genTime: info.genTime,
  };
}

function verifySigner(layer: SignedDataLayer, layerCerts: Set<ParsedCertificate>, signer: RawSignerInfo, depth: number, ctx: Context, purpose: SignerPurpose = { timestamps: true }): SignerOutcome {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const add = (indication: Indication, subIndication: SubIndication, message: string) => findings.push({ indication, subIndication, message });
  const checks: SignatureChecks = { messageDigest: 'not-checked', signature: 'not-checked', validity: 'not-checked', keyUsage: 'not-checked', chain: 'not-checked' };
  const attrs = signer.signedAttrs;
  const digestOid = signer.digestAlgorithm.oid;
  const hash = contentDigest(digestOid);

  // Structure.
  for (const problem of attrs?.problems ?? []) add('TOTAL_FAILED', 'FORMAT_FAILURE', problem);
  if (attrs?.contentType && attrs.contentType !== layer.eContentType) {
    add('TOTAL_FAILED', 'FORMAT_FAILURE', `contentType attribute ${attrs.contentType} differs from the content type ${layer.eContentType}`);
  }

  // The content's digest.
  if (!layer.content) {
    add('INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', 'the signed content is detached and was not supplied');
  } else if (!hash) {
    checks.messageDigest = 'unsupported';
    add('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', `digest algorithm ${algorithmName(digestOid)} cannot be computed here`);
  } else if (attrs?.messageDigest) {
    const digest = ctx.digests.of(layer.content, hash, ctx.meter);
    if (!digest) {
      add('INDETERMINATE', 'GENERIC', ctx.meter.exhausted!);
    } else {
      const ok = digest.equals(asBuffer(attrs.messageDigest));
      checks.messageDigest = ok ? 'passed' : 'failed';
      if (!ok) add('TOTAL_FAILED', 'HASH_FAILURE', 'the content does not match the signed messageDigest');
    }
  }

  // The signing certificate and the signature value.
  const candidates = signerCandidates(signer, layerCerts, ctx.pool);
  let cert: ParsedCertificate | null = null;
  if (candidates.length === 0) {
    add('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'the signing certificate is not in the CMS or the supplied certificates');
  } else {
    const data = attrs ? attrs.signedBytes : layer.content ? contentBytes(layer.content) : null;
    let outcome: ReturnType<typeof verifySignature> | null = null;
    for (const candidate of candidates) {
      cert = candidate;
      if (!data) break;
      if (!ctx.meter.signature(data.length)) {
        add('INDETERMINATE', 'GENERIC', ctx.meter.exhausted!);
        break;
      }
      outcome = verifySignature(signer.signatureAlgorithm, digestOid, publicKeyOf(candidate), candidate.publicKeyAlgorithm.oid, data, signer.signature);
      if (outcome.status === 'valid') break;
    }
    if (outcome) {
      if (outcome.status === 'valid') {
        checks.signature = 'passed';
        if (!attrs) checks.messageDigest = 'passed';
      } else if (outcome.status === 'invalid') {
        checks.signature = 'failed';
        add('TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', 'the signature value does not verify with the signing certificate');
      } else {
        checks.signature = 'unsupported';
        add('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', outcome.reason);
      }
    }
  }

  // The signature timestamp: the earliest token that verifies proves when the signature existed.
  let timestamp: TimestampSummary | null = null;
  let provenTime: Date | null = null;
  if (purpose.timestamps) {
    if (signer.unsignedAttrsProblem) {
      timestamp = { status: 'failed', genTime: null, serialNumber: null, tsa: null, policy: null, message: `the unsigned attributes cannot be read (${signer.unsignedAttrsProblem})` };
    }
    const embedded = new Set(signer.timestampTokens);
    for (const token of [...signer.timestampTokens, ...externalTokensFor(signer.signature, ctx)]) {
      const verified = verifyTimestampToken(token, signer.signature, depth, ctx);
      if (!verified.genTime && !embedded.has(token)) {
        // A token kept beside the CMS is the verifier's own addition: if it proves nothing, the signature
        // is judged as if it were not there, and the report says so.
        warnings.push(verified.summary.message);
        continue;
      }
      if (verified.genTime && (!provenTime || verified.genTime < provenTime)) {
        provenTime = verified.genTime;
        timestamp = verified.summary;
      } else if (!provenTime && !timestamp) {
        timestamp = verified.summary;
      }
    }
    // A token that is there but proves nothing must not pass silently: the signature's time is then unknown.
    if (timestamp?.status === 'failed') add('INDETERMINATE', 'TIMESTAMP_FAILURE', timestamp.message);
  }

  // The certificate: validity at the proven time (timestamp), else the claimed signing time, else now.
  const validityTime: ValidityTime = purpose.at
    ? { time: purpose.at.toISOString(), source: 'timestamp' }
    : provenTime
      ? { time: provenTime.toISOString(), source: 'timestamp' }
      : attrs?.signingTime
        ? { time: attrs.signingTime.toISOString(), source: 'signingTime' }
        : { time: ctx.now.toISOString(), source: 'verificationTime' };
  const at = new Date(validityTime.time);
  let path: ParsedCertificate[] | null = null;
  if (cert) {
    const valid = cert.notBefore.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.getTime();
    checks.validity = valid ? 'passed' : 'failed';
    if (!valid) {
      add('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE', `the signing certificate is not valid at ${at.toISOString()} (valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`);
    }
    const usageOk = cert.keyUsage === null || cert.keyUsage.has('digitalSignature') || cert.keyUsage.has('nonRepudiation');
    checks.keyUsage = usageOk ? 'passed' : 'failed';
    if (!usageOk) add('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', `the certificate's keyUsage (${[...cert.keyUsage!].join(', ') || 'none'}) does not allow signing`);
    if (purpose.extendedKeyUsage && !cert.extendedKeyUsage?.has(purpose.extendedKeyUsage)) {
      checks.keyUsage = 'failed';
      add('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', `the certificate's extendedKeyUsage lacks ${purpose.extendedKeyUsage}`);
    }
    if (ctx.anchors.length > 0) {
      let found = ctx.chains.get(cert.sha256);
      if (!found) ctx.chains.set(cert.sha256, (found = findChainPath(cert, ctx.pool, ctx.anchors, (bytes) => ctx.meter.signature(bytes))));
      const chain = chainAt(found, at);
      if (chain.status === 'trusted') {
        checks.chain = 'passed';
        path = chain.path;
        notes.push(`chain to ${chain.path[chain.path.length - 1].subject.text}`);
      } else if (chain.status === 'unsupported') {
        checks.chain = 'unsupported';
        add('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', chain.message);
      } else if (chain.status === 'over-budget') {
        add('INDETERMINATE', 'GENERIC', chain.message);
      } else {
        checks.chain = 'failed';
        add('INDETERMINATE', chain.status === 'out-of-bounds' ? 'OUT_OF_BOUNDS_NO_POE' : 'NO_CERTIFICATE_CHAIN_FOUND', chain.message);
      }
    } else {
      // Fail closed: a certificate nobody configured (self-made, carrying any IIN) must never pass.
      add('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', 'no trust anchors were given, so the certificate chain cannot be checked');
    }
  }
  if (provenTime) notes.push(`timestamp ${provenTime.toISOString()}`);

  return {
    findings,
    notes,
    warnings,
    path,
    at,
    proven: validityTime.source === 'timestamp',
    report: {
      depth,
      index: signer.index,
      signer: cert ? identityFromName(cert.subject) : null,
      certificate: cert ? certificateSummary(cert) : null,
      signingTime: attrs?.signingTime?.toISOString() ?? null,
      validityTime,
      timestamp,
      revocation: { ...REVOCATION_NOT_CHECKED },
      warnings,
      digestAlgorithm: algorithmName(digestOid),
      signatureAlgorithm: signatureAlgorithmName(signer),
      checks,
    },
  };
}

/** The outcome summed up: the first finding by PRIORITY decides the indication. */
export function settle(outcome: SignerOutcome): SignatureReport {
  const findings = [...outcome.findings].sort((a, b) => PRIORITY.indexOf(a.subIndication) - PRIORITY.indexOf(b.subIndication));
  const worst = findings[0];
  const report: SignatureReport = {
    ...outcome.report,
    warnings: [...outcome.warnings],
    indication: worst ? worst.indication : 'TOTAL_PASSED',
    message: worst ? findings.map((f) => f.message).filter((m, i, all) => all.indexOf(m) === i).join('; ') : ['signature valid', ...outcome.notes].join('; '),
  };
  if (worst) report.subIndication = worst.subIndication;
  return report;
}

function certificatesOf(input: string | Uint8Array | ParsedCertificate, what: string): ParsedCertificate[] {
  return typeof input === 'string' || input instanceof Uint8Array ? readCertificates(input, what) : [input];
}

const EMPTY_CONTENT: ContentSummary = { sha256: null, type: 'unknown', detached: false, size: null };

export function formatFailureReport(message: string): VerificationReport {
  return { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', signatures: [], content: { ...EMPTY_CONTENT }, depth: 0, message, chainChecked: false, warnings: [] };
}

function head(content: ContentRef): Uint8Array {
  if (content.segments.length === 1 || content.segments[0].length >= 1024) return content.segments[0];
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const segment of content.segments) {
    parts.push(segment);
    size += segment.length;
    if (size >= 1024) break;
  }
  return Buffer.concat(parts);
}

function contentKind(content: ContentRef): ContentKind {
  return content.size === 0 ? 'unknown' : sniffContentType(head(content));
}

interface Analysis {
  outcomes: SignerOutcome[];
  layerProblems: string[];
  content: ContentSummary;
  depth: number;
  chainChecked: boolean;
}

/** Reads and verifies everything that needs no network; a VerificationReport when the input is unreadable. */
function analyse(input: Uint8Array | string, options: VerifyCmsOptions): Analysis | VerificationReport {
  const limits: CmsLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const anchors = (options.trustAnchors ?? []).flatMap((a, i) => certificatesOf(a, `trust anchor ${i + 1}`));
  const extra = (options.extraCertificates ?? []).flatMap((c, i) => certificatesOf(c, `extra certificate ${i + 1}`));
  let parsed: ParsedCms;
  try {
    if (options.detachedContent && options.detachedContent.length > limits.maxInputBytes) {
      throw new CmsFormatError(`detached content is larger than ${limits.maxInputBytes} bytes`);
    }
    parsed = readNestedCms(decodeCmsInput(input, limits.maxInputBytes), options.detachedContent, limits);
  } catch (error) {
    if (error instanceof CmsFormatError) return formatFailureReport(error.message);
    throw error;
  }

  // Certificates: each layer's own first (looked up first for that layer's signers), then the caller's.
  const pool = new CertificatePool();
  const perLayer = parsed.layers.map((layer) => {
    const own = new Set<ParsedCertificate>();
    for (const der of layer.certificates) {
      const cert = pool.addDer(der);
      if (cert) own.add(cert);
    }
    return own;
  });
  for (const cert of [...extra, ...anchors]) pool.add(cert);
  const meter = new BudgetMeter({ ...DEFAULT_BUDGET, ...options.budget });
  const externalTokens = (options.timestampTokens ?? []).slice(0, MAX_EXTERNAL_TOKENS).map(externalToken);
  const ctx: Context = { pool, anchors, now: options.now ?? new Date(), digests: new DigestCache(), meter, chains: new Map(), externalTokens };

  const outcomes: SignerOutcome[] = [];
  const layerProblems: string[] = [];
  const total = parsed.layers.length;
  for (let k = total - 1; k >= 0; k--) {
    const layer = parsed.layers[k];
    const depth = total - k;
    if (layer.signerInfos.length === 0) layerProblems.push(`the SignedData at depth ${depth} has no signature`);
    for (const signer of layer.signerInfos) {
      try {
        outcomes.push(verifySigner(layer, perLayer[k], signer, depth, ctx));
      } catch (error) {
        // Certificates are decoded lazily: a malformed one (e.g. a broken name) surfaces only here.
        if (error instanceof CmsFormatError) return formatFailureReport(error.message);
        throw error;
      }
    }
  }

  const content: ContentSummary = parsed.content
    ? { sha256: ctx.digests.of(parsed.content, 'sha256')!.toString('hex'), type: contentKind(parsed.content), detached: parsed.detached, size: parsed.content.size }
    : { ...EMPTY_CONTENT, detached: true };
  return { outcomes, layerProblems, content, depth: total, chainChecked: anchors.length > 0 };
}

function summarise(analysis: Analysis): VerificationReport {
  const { layerProblems } = analysis;
  const signatures = analysis.outcomes.map(settle);
  let indication: Indication = 'TOTAL_PASSED';
  let subIndication: SubIndication | undefined;
  for (const s of signatures) {
    if (worse(s.indication, indication)) {
      indication = s.indication;
      subIndication = s.subIndication;
    }
  }
  if (layerProblems.length) {
    indication = 'TOTAL_FAILED';
    subIndication = 'FORMAT_FAILURE';
  }
  const failing = signatures.filter((s) => s.indication !== 'TOTAL_PASSED');
  const who = (s: SignatureReport) => `signature ${s.depth}.${s.index + 1}${s.signer?.commonName ? ` (${s.signer.commonName})` : ''}`;
  const message = [
    ...layerProblems,
    failing.length === 0
      ? `${signatures.length} of ${signatures.length} signature${signatures.length === 1 ? '' : 's'} passed`
      : `${signatures.length - failing.length} of ${signatures.length} signatures passed; ${failing.map((s) => `${who(s)}: ${s.indication}/${s.subIndication}: ${s.message}`).join('; ')}`,
  ].join('; ');
  const warnings = signatures.flatMap((s) => s.warnings.map((w) => `${who(s)}: ${w}`));
  const report: VerificationReport = { indication, signatures, content: analysis.content, depth: analysis.depth, message, chainChecked: analysis.chainChecked, warnings };
  if (subIndication) report.subIndication = subIndication;
  return report;
}

/**
 * Verifies every signature of a CMS and of every CMS nested in it, without revocation (which needs the
 * network: see verifyCms). Never throws for a bad document: garbage gets FORMAT_FAILURE. Throws
 * CmsCertificateError only when a trust anchor or extra certificate given in the options cannot be read.
 */
export function verifyCmsSync(input: Uint8Array | string, options: VerifyCmsOptions = {}): VerificationReport {
  const analysis = analyse(input, options);
  return 'outcomes' in analysis ? summarise(analysis) : analysis;
}

/** verifyCmsSync, plus revocation of every signing certificate whose chain passed when `options.revocation` is on. */
export async function verifyCms(input: Uint8Array | string, options: VerifyCmsOptions = {}): Promise<VerificationReport> {
  const analysis = analyse(input, options);
  if (!('outcomes' in analysis)) return analysis;
  if (options.revocation && options.revocation.policy !== 'off') {
    await judgeRevocation(analysis.outcomes, options.revocation);
  }
  return summarise(analysis);
}

/**
 * The signature values of the outermost SignedData's signerInfos, in order: what a signature timestamp's
 * messageImprint hashes. Throws CmsFormatError on input that is not a CMS.
 */
export function outermostSignatureValues(input: Uint8Array | string): Uint8Array[] {
  return readSignedDataLayer(decodeCmsInput(input, DEFAULT_LIMITS.maxInputBytes)).signerInfos.map((s) => s.signature);
}
