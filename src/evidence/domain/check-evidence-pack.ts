import { PDFDocument } from 'pdf-lib';
import { safeUnzip, UnsafeArchiveError, type UnzipLimits } from '../../archives/domain/safe-unzip.js';
import { verifyChain, type ChainedAuditEvent } from '../../audit/domain/audit-chain.js';
import { createHash } from 'node:crypto';
import { CmsError, extractContent, outermostSignatureValues, readTstInfo, verifyCms, type ParsedCertificate, type VerificationReport } from '../../cms/index.js';
import { certificateKeywords } from './certificate-of-completion.js';
import { SEAL_PATH, SEAL_TIMESTAMP_PATH } from './evidence-seal.js';
import { extractPdfSignature } from './pdf-signature.js';
import { AUDIT_PATH, CERTIFICATE_PATH, EVIDENCE_FORMAT, MANIFEST_PATH, sha256Hex, type AuditTrailFile, type EvidenceManifest } from './evidence-pack.js';

/**
 * The offline check of an evidence pack (`kezek verify-evidence`), with no server and no database: every
 * file against the manifest, the audit chain and its head hash, each original against the hashes the chain
 * recorded when the envelope was created, each CMS cryptographically (and against the trust anchors given)
 * and against its original and its stored report, each provider archive against the hashes the chain
 * recorded when it was received, and the certificate of completion against the chain's head. Each problem
 * names the file it is in.
 */
export interface EvidenceProblem {
  /** The file of the pack at fault (`evidence.zip` for the pack itself). */
  file: string;
  message: string;
}

export interface EvidenceCheckResult {
  ok: boolean;
  envelope: { id: string; title: string; status: string } | null;
  passed: string[];
  problems: EvidenceProblem[];
  warnings: string[];
}

export interface EvidenceCheckOptions {
  trustAnchors?: (string | Uint8Array | ParsedCertificate)[];
  /**
   * The instance's seal certificate (or the CA it chains to), obtained apart from the pack. Given, the pack
   * passes only when manifest.json is the one the instance sealed.
   */
  seal?: (string | Uint8Array | ParsedCertificate)[];
  limits?: Partial<UnzipLimits>;
}

type Json = Record<string, unknown>;

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function isManifest(value: unknown): value is EvidenceManifest {
  if (!isRecord(value) || value.format !== EVIDENCE_FORMAT) return false;
  return isRecord(value.envelope) && Array.isArray(value.documents) && Array.isArray(value.signers) && Array.isArray(value.rounds) && isRecord(value.audit) && Array.isArray(value.files);
}

function isAuditTrail(value: unknown): value is AuditTrailFile {
  return isRecord(value) && typeof value.envelopeId === 'string' && Array.isArray(value.events) && value.events.every(isRecord);
}

/** What a report says that must not change between two verifications of the same CMS. */
function fingerprint(report: VerificationReport): string {
  return JSON.stringify({
    content: report.content?.sha256 ?? null,
    signatures: (report.signatures ?? []).map((s) => [s.depth, s.index, s.signer?.iin ?? null, s.certificate?.sha256 ?? null, s.signingTime]),
  });
}

export async function checkEvidencePack(zip: Uint8Array, options: EvidenceCheckOptions = {}): Promise<EvidenceCheckResult> {
  const passed: string[] = [];
  const problems: EvidenceProblem[] = [];
  const warnings: string[] = [];
  const problem = (file: string, message: string) => problems.push({ file, message });
  const result = (envelope: EvidenceCheckResult['envelope']): EvidenceCheckResult => ({ ok: problems.length === 0, envelope, passed, problems, warnings });

  let entries: Map<string, Uint8Array>;
  try {
    entries = new Map(safeUnzip(zip, options.limits).map((e) => [e.name, e.bytes]));
  } catch (error) {
    if (!(error instanceof UnsafeArchiveError)) throw error;
    problem(error.entry ?? 'evidence.zip', `the pack cannot be unpacked safely: ${error.message}`);
    return result(null);
  }

  const manifest = parseJson(entries.get(MANIFEST_PATH));
  if (!isManifest(manifest)) {
    problem(MANIFEST_PATH, entries.has(MANIFEST_PATH) ? `not a ${EVIDENCE_FORMAT} manifest` : 'missing: this is not a Kezek evidence pack');
    return result(null);
  }
  const envelope = { id: manifest.envelope.id, title: manifest.envelope.title, status: manifest.envelope.status };

  // 0. The seal: the instance signed these very manifest bytes, so nothing the manifest records was rewritten.
  await checkSeal(entries.get(MANIFEST_PATH)!, entries.get(SEAL_PATH), options.seal, passed, problem, warnings);
  checkSealTimestamp(entries.get(SEAL_PATH), entries.get(SEAL_TIMESTAMP_PATH), passed, problem);

  // 1. Every file is the one the manifest lists, and nothing was added.
  const listed = new Set<string>();
  /** Files whose bytes are not those listed: checks that use them as a reference are skipped, so the blame stays on them. */
  const altered = new Set<string>();
  let matching = 0;
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = entries.get(entry.path);
    if (!bytes) {
      problem(entry.path, 'missing from the pack, though manifest.json lists it');
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      problem(entry.path, `altered: its SHA-256 is ${actual}, manifest.json records ${entry.sha256}`);
      altered.add(entry.path);
    } else matching++;
  }
  for (const path of entries.keys()) if (path !== MANIFEST_PATH && path !== SEAL_PATH && path !== SEAL_TIMESTAMP_PATH && !listed.has(path)) problem(path, 'not listed in manifest.json: added to the pack');
  if (matching === manifest.files.length) passed.push(`${matching} files match the SHA-256 recorded in manifest.json`);

  // 2. The audit trail: an intact chain whose head is the one the manifest (and the certificate) name.
  const audit = parseJson(entries.get(AUDIT_PATH));
  let events: ChainedAuditEvent[] = [];
  if (!isAuditTrail(audit)) {
    problem(AUDIT_PATH, entries.has(AUDIT_PATH) ? 'not an audit trail' : 'missing');
  } else {
    events = audit.events;
    const chain = verifyChain(events);
    if (!chain.valid) problem(AUDIT_PATH, `the hash chain is broken at seq ${chain.firstInvalidSeq}: ${chain.reason}`);
    else if (audit.envelopeId !== manifest.envelope.id || events.some((e) => e.envelopeId !== manifest.envelope.id)) problem(AUDIT_PATH, `belongs to another envelope than ${manifest.envelope.id}`);
    else if (chain.headHash !== manifest.audit.headHash) problem(AUDIT_PATH, `its head hash ${chain.headHash} is not the ${manifest.audit.headHash} manifest.json records: events were removed or added`);
    else if (audit.headHash !== chain.headHash) problem(AUDIT_PATH, `states head hash ${audit.headHash}, but its events end at ${chain.headHash}`);
    else passed.push(`audit trail: ${events.length} events, hash chain intact, head ${chain.headHash}`);
  }
  const created = events.find((e) => e.type === 'envelope.created');
  const createdDocuments = Array.isArray(created?.data?.documents) ? (created.data.documents as unknown as Json[]) : [];
  const createdSigners = Array.isArray(created?.data?.signers) ? (created.data.signers as unknown as Json[]) : [];

  // The manifest's account of the envelope agrees with what the chain recorded at its creation.
  if (created) {
    const disagreements: string[] = [];
    if (created.data.title !== manifest.envelope.title) disagreements.push('title');
    if (manifest.documents.some((d) => createdDocuments[d.position]?.name !== d.name) || manifest.documents.length !== createdDocuments.length) disagreements.push('documents');
    const signerKey = (s: { id?: unknown; iin?: unknown; fullName?: unknown }) => `${String(s.id)}|${String(s.iin)}|${String(s.fullName)}`;
    if (manifest.signers.map(signerKey).sort().join('\n') !== createdSigners.map(signerKey).sort().join('\n')) disagreements.push('signers');
    if (disagreements.length) problem(MANIFEST_PATH, `its ${disagreements.join(', ')} differ from what the audit trail recorded when the envelope was created`);
    else passed.push(`${MANIFEST_PATH}: title, documents and signers as recorded when the envelope was created`);
  } else if (events.length) {
    problem(AUDIT_PATH, 'has no envelope.created event');
  }

  // 3. Originals, final CMS and their reports.
  const anchors = options.trustAnchors ?? [];
  const signedIins = new Set(manifest.signers.filter((s) => s.status === 'SIGNED').map((s) => s.iin));
  for (const document of manifest.documents) {
    const original = entries.get(document.file);
    if (!original) continue; // already reported as missing
    const actual = sha256Hex(original);
    const recorded = createdDocuments[document.position]?.sha256;
    if (actual !== document.sha256) {
      if (!altered.has(document.file)) problem(document.file, `its SHA-256 ${actual} is not the document's ${document.sha256}`);
    } else if (recorded !== undefined && recorded !== actual) problem(document.file, `its SHA-256 ${actual} is not the ${String(recorded)} the audit trail recorded when the envelope was created`);
    else if (recorded === undefined) problem(document.file, 'the audit trail has no record of this document from the envelope’s creation');
    else passed.push(`${document.file}: SHA-256 ${actual}, as recorded when the envelope was created`);

    if (!document.signature) continue;
    const cms = entries.get(document.signature.file);
    if (!cms) continue;
    const report = await verifyCms(cms, { trustAnchors: anchors });
    const iins = new Set(report.signatures.map((s) => s.signer?.iin).filter((iin): iin is string => Boolean(iin)));
    const missing = [...signedIins].filter((iin) => !iins.has(iin));
    if (!report.chainChecked) problem(document.signature.file, 'no trust anchors were given, so no signature can pass: pass --trust <ca.pem>');
    else if (report.indication === 'TOTAL_FAILED') problem(document.signature.file, `the signature does not verify: ${report.subIndication} (${report.message})`);
    else if (report.indication === 'INDETERMINATE') problem(document.signature.file, `the signature could not be verified: ${report.subIndication} (${report.message})`);
    else if (report.content.sha256 !== document.sha256) problem(document.signature.file, `it signs content with SHA-256 ${report.content.sha256}, not the document's ${document.sha256}`);
    else if (missing.length) problem(document.signature.file, `signers recorded as SIGNED are not in it (IIN ${missing.join(', ')})`);
    else {
      passed.push(`${document.signature.file}: ${report.signatures.length} signature(s) over “${document.name}” (SHA-256 ${document.sha256.slice(0, 16)}…), ${report.indication}, certificate chains trusted`);
    }
    const stored = parseJson(entries.get(document.signature.report));
    if (altered.has(document.signature.file) || altered.has(document.signature.report)) continue;
    if (!isRecord(stored) || !Array.isArray(stored.signatures)) problem(document.signature.report, 'not a verification report');
    else if (fingerprint(stored as unknown as VerificationReport) !== fingerprint(report)) problem(document.signature.report, `does not describe ${document.signature.file}: signers, certificates, times or content differ`);
    else if (stored.indication !== document.signature.indication) problem(document.signature.report, `its indication ${String(stored.indication)} is not the ${document.signature.indication} manifest.json records`);
  }

  // 4. Provider archives, against the hashes the audit chain recorded when each was received.
  const received = new Map(events.filter((e) => e.type === 'round.archive_stored' || e.type === 'round.archive_refused').map((e) => [String(e.data.roundId), e.data]));
  for (const round of manifest.rounds) {
    const record = received.get(round.id);
    const file = round.archive?.file;
    if (!file) {
      if (record) problem(MANIFEST_PATH, `round ${round.id}: the audit trail records its provider archive (SHA-256 ${String(record.sha256)}), but the pack has none`);
      else if (round.status === 'FINISHED') warnings.push(`round ${round.id} (session ${round.sessionId}): its provider archive had not been received when the pack was made`);
      continue;
    }
    const bytes = entries.get(file);
    if (!bytes) continue;
    const actual = sha256Hex(bytes);
    if (!record) {
      problem(file, 'the audit trail has no record of receiving this archive');
      continue;
    }
    if (record.sha256 !== actual) {
      problem(file, `its SHA-256 ${actual} is not the ${String(record.sha256)} recorded in the audit trail when it was received`);
      continue;
    }
    if (round.archive?.status === 'REFUSED') {
      passed.push(`${file}: as received (it was refused as unsafe to unpack: ${String(record.refusal)})`);
      continue;
    }
    try {
      const inner = safeUnzip(bytes, options.limits);
      const recordedFiles = Array.isArray(record.files) ? (record.files as unknown as Json[]) : [];
      const wrong = inner.filter((e) => recordedFiles.find((f) => f.name === e.name)?.sha256 !== sha256Hex(e.bytes));
      if (wrong.length) problem(file, `${wrong.map((e) => e.name).join(', ')}: not as received`);
      else passed.push(`${file}: as received from the provider (${inner.length} signed ${inner.length === 1 ? 'copy' : 'copies'}, check_id ${round.checkId})`);
    } catch (error) {
      if (!(error instanceof UnsafeArchiveError)) throw error;
      problem(file, `cannot be unpacked safely: ${error.message}`);
    }
  }
  for (const [roundId] of received) {
    if (!manifest.rounds.some((r) => r.id === roundId)) problem(MANIFEST_PATH, `round ${roundId} is in the audit trail but not in the manifest`);
  }

  // 4b. Identity reports: as the audit chain recorded them when received, and PDF signatures that verify.
  const reportsReceived = events.filter((e) => e.type === 'identity.report_received');
  for (const attempt of manifest.identity ?? []) {
    for (const report of attempt.reports) {
      const bytes = entries.get(report.file);
      if (!bytes || altered.has(report.file)) continue;
      const actual = sha256Hex(bytes);
      const record = reportsReceived.find((e) => e.data.sessionId === attempt.sessionId && e.data.technology === report.technology);
      if (!record) {
        problem(report.file, 'the audit trail has no record of receiving this identity report');
        continue;
      }
      if (record.data.sha256 !== actual) {
        problem(report.file, `its SHA-256 ${actual} is not the ${String(record.data.sha256)} recorded in the audit trail when it was received`);
        continue;
      }
      const signature = extractPdfSignature(bytes);
      if (!signature) {
        problem(report.file, 'has no readable PDF signature');
        continue;
      }
      const verified = await verifyCms(signature.cms, { detachedContent: signature.signedContent, trustAnchors: anchors });
      if (!signature.coversWholeFile) problem(report.file, 'its PDF signature does not cover the whole file: something was appended after signing');
      else if (verified.indication !== 'TOTAL_PASSED') problem(report.file, `its PDF signature does not verify: ${verified.indication}/${verified.subIndication ?? ''} (${verified.message})`);
      else passed.push(`${report.file}: ${report.technology} report of session ${attempt.sessionId}, as received; PDF signed by ${verified.signatures[0]?.certificate?.subject ?? 'the provider'}, certificate chain trusted`);
    }
  }
  const packed = new Set((manifest.identity ?? []).flatMap((a) => a.reports.map((r) => `${a.sessionId}|${r.technology}`)));
  for (const event of reportsReceived) {
    if (!packed.has(`${String(event.data.sessionId)}|${String(event.data.technology)}`)) problem(MANIFEST_PATH, `the audit trail records the ${String(event.data.technology)} identity report of session ${String(event.data.sessionId)}, but the pack has none`);
  }

  // 5. The certificate of completion names this envelope and this chain head.
  const certificate = entries.get(CERTIFICATE_PATH);
  if (!certificate) {
    if (!listed.has(CERTIFICATE_PATH)) problem(CERTIFICATE_PATH, 'missing');
  } else {
    try {
      const pdf = await PDFDocument.load(certificate, { updateMetadata: false, throwOnInvalidObject: true });
      const keywords = (pdf.getKeywords() ?? '').split(/\s+/);
      const expected = certificateKeywords(manifest.envelope.id, manifest.audit.headHash);
      if (!expected.every((k) => keywords.includes(k))) problem(CERTIFICATE_PATH, 'it was made for another envelope or another audit trail head');
      else passed.push(`${CERTIFICATE_PATH}: ${pdf.getPageCount()} page(s), for this envelope and audit head`);
    } catch {
      problem(CERTIFICATE_PATH, 'not a readable PDF');
    }
  }

  return result(envelope);
}

async function checkSeal(
  manifest: Uint8Array,
  seal: Uint8Array | undefined,
  sealCertificates: EvidenceCheckOptions['seal'],
  passed: string[],
  problem: (file: string, message: string) => void,
  warnings: string[],
): Promise<void> {
  if (!sealCertificates?.length) {
    warnings.push(
      seal
        ? `${SEAL_PATH}: the instance seal was not checked, so a rewritten pack would pass: pass --seal <seal.pem>`
        : 'the pack is not sealed: it is checked only against itself',
    );
    return;
  }
  if (!seal) {
    problem(SEAL_PATH, 'missing: the pack is not sealed, so whoever held it could have rewritten it');
    return;
  }
  const report = await verifyCms(seal, { detachedContent: manifest, trustAnchors: sealCertificates });
  const signature = report.signatures[0];
  if (report.indication !== 'TOTAL_PASSED' || report.signatures.length !== 1) {
    const why = report.subIndication === 'HASH_FAILURE' ? 'manifest.json is not the one the instance sealed' : report.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND' ? 'it was not made with the given seal certificate' : report.message;
    problem(SEAL_PATH, `the seal does not verify (${report.indication}/${report.subIndication ?? 'more than one signature'}): ${why}`);
    return;
  }
  passed.push(`${SEAL_PATH}: manifest.json sealed by ${signature.certificate?.subject ?? 'the instance'}${signature.signingTime ? ` at ${signature.signingTime}` : ''}`);
}

/** The seal's timestamp, when there is one: it must be over this seal's signature (its TSA is named, not trusted here). */
function checkSealTimestamp(seal: Uint8Array | undefined, token: Uint8Array | undefined, passed: string[], problem: (file: string, message: string) => void): void {
  if (!token || !seal) return;
  try {
    const [signature] = outermostSignatureValues(seal);
    const info = readTstInfo(extractContent(token).content);
    if (!signature || !createHash('sha256').update(signature).digest().equals(Buffer.from(info.hashedMessage))) {
      problem(SEAL_TIMESTAMP_PATH, 'the timestamp is not over this seal');
      return;
    }
    passed.push(`${SEAL_TIMESTAMP_PATH}: the seal existed at ${info.genTime.toISOString()}, says ${info.tsaName ?? 'the TSA'} (its TSA is not checked offline)`);
  } catch (error) {
    if (!(error instanceof CmsError)) throw error;
    problem(SEAL_TIMESTAMP_PATH, `not a timestamp token (${error.message})`);
  }
}
