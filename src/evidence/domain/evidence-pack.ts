import { zipSync, type Zippable } from 'fflate';
import type { ChainedAuditEvent } from '../../audit/domain/audit-chain.js';
import type { VerificationReport } from '../../cms/index.js';
import { sha256Hex } from '../../common/crypto/sha256.js';
import { SEAL_PATH, SEAL_TIMESTAMP_PATH } from './evidence-seal.js';

/**
 * The evidence pack of an envelope: one zip that proves who signed what and when, checkable offline by
 * `kezek verify-evidence`. Layout:
 *
 *   manifest.json                         envelope summary, signers, rounds, and the SHA-256 of every other file
 *   manifest.json.p7s                     the instance seal: a detached CMS over manifest.json (evidence-seal.ts)
 *   documents/<n>-<name>                  the original documents
 *   signatures/<n>-<name>.p7s             the final CMS of each document (every signer)
 *   reports/<n>-<name>.report.json        the verification report of each CMS
 *   manifest.json.p7s.tsr                 with TSA_URL: a timestamp token over the seal's signature
 *   archives/round-<k>-<session>.zip      each FINISHED round's provider archive, as received
 *   identity/<n>-attempt-<k>.result.json  each identity attempt of signer n: verdicts and scores, no personal data
 *   identity/<n>-attempt-<k>-<tech>.pdf   the identity provider's signed PDF report of one technology
 *   timestamps/round-<k>-<n>-<name>.tsr   with TSA_URL: Kezek's timestamp token over the round's accepted signature
 *   audit/audit-trail.json                the envelope's audit trail with its hash chain and head hash
 *   certificate-of-completion.pdf         the certificate of completion
 *
 * What anchors what: originals are checked against the hashes recorded when the envelope was created (in the
 * audit chain), each CMS against its original and the trust anchors, archives against the hashes recorded
 * in the chain when they were received, the chain against its head hash (manifest and certificate), and the
 * manifest against the instance seal: without the seal, whoever holds the pack could rewrite and recompute it all.
 */
export const EVIDENCE_FORMAT = 'kezek-evidence/1';
export const MANIFEST_PATH = 'manifest.json';
export const AUDIT_PATH = 'audit/audit-trail.json';
export const CERTIFICATE_PATH = 'certificate-of-completion.pdf';

export interface EvidenceFileEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  generatedAt: string;
  envelope: {
    id: string;
    title: string;
    status: string;
    statusReason: string | null;
    documentType: string;
    organisation: { id: string; name: string };
    createdAt: string;
    sentAt: string | null;
    finishedAt: string | null;
  };
  documents: {
    id: string;
    position: number;
    name: string;
    size: number;
    sha256: string;
    file: string;
    /** The final CMS and its report; null while nobody has signed. */
    signature: { file: string; sha256: string; report: string; indication: string } | null;
  }[];
  signers: { id: string; position: number; fullName: string; iin: string; routingOrder: number; status: string; signedAt: string | null }[];
  rounds: {
    id: string;
    signerId: string;
    attempt: number;
    sessionId: string;
    checkId: string;
    status: string;
    finishedAt: string | null;
    /** FINISHED rounds only: the provider's archive, or why it is not in the pack. */
    archive: { status: 'STORED' | 'REFUSED' | 'PENDING'; file: string | null; sha256: string | null } | null;
    /** Kezek's RFC 3161 tokens over the round's accepted signature, per document (TSA_URL). */
    timestamps?: { documentId: string; file: string }[];
  }[];
  /** Identity attempts before signing (absent in packs of envelopes that asked for none). */
  identity?: {
    signerId: string;
    attempt: number;
    sessionId: string;
    status: string;
    failureReason: string | null;
    result: string;
    /** Signed PDF reports; each SHA-256 is also in the audit chain (identity.report_received). */
    reports: { technology: string; file: string; sha256: string }[];
  }[];
  audit: { file: string; headHash: string | null; events: number };
  certificate: { file: string };
  /** Every file of the pack but this manifest. */
  files: EvidenceFileEntry[];
}

export interface AuditTrailFile {
  envelopeId: string;
  headHash: string | null;
  events: ChainedAuditEvent[];
}

export interface EvidenceInput {
  generatedAt: string;
  envelope: EvidenceManifest['envelope'];
  documents: { id: string; position: number; name: string; sha256: string; content: Uint8Array; finalCms: Uint8Array | null; report: VerificationReport | null }[];
  signers: EvidenceManifest['signers'];
  rounds: (Omit<EvidenceManifest['rounds'][number], 'archive' | 'timestamps'> & {
    archive: { status: 'STORED' | 'REFUSED' | 'PENDING'; zip: Uint8Array | null } | null;
    timestamps?: { documentId: string; token: Uint8Array }[];
  })[];
  /** Identity attempts, with the signer's position (file names) and the PII-minimised result. */
  identity?: {
    signerId: string;
    signerPosition: number;
    attempt: number;
    sessionId: string;
    status: string;
    failureReason: string | null;
    result: Record<string, unknown>;
    reports: { technology: string; pdf: Uint8Array }[];
  }[];
  audit: SerialisedAuditTrail;
  certificate: Uint8Array;
}

/** audit/audit-trail.json as bytes (an AuditTrailFile), with what the manifest says of it. */
export interface SerialisedAuditTrail {
  headHash: string | null;
  events: number;
  file: Uint8Array;
}

/**
 * Writes audit/audit-trail.json a page of events at a time, so a long trail is never held as objects all at
 * once: the same text as `JSON.stringify(trail, null, 2)` of an AuditTrailFile.
 */
export class AuditTrailFileWriter {
  private readonly encoder = new TextEncoder();
  private readonly chunks: Uint8Array[] = [];
  private count = 0;

  constructor(
    envelopeId: string,
    private readonly headHash: string | null,
  ) {
    this.chunks.push(this.encoder.encode(`{\n  "envelopeId": ${JSON.stringify(envelopeId)},\n  "headHash": ${JSON.stringify(headHash)},\n  "events": [`));
  }

  add(events: readonly ChainedAuditEvent[]): void {
    for (const event of events) {
      // Only structural line breaks: those inside strings are escaped by JSON.stringify.
      this.chunks.push(this.encoder.encode(`${this.count ? ',' : ''}\n    ${JSON.stringify(event, null, 2).replaceAll('\n', '\n    ')}`));
      this.count++;
    }
  }

  finish(): SerialisedAuditTrail {
    this.chunks.push(this.encoder.encode(this.count ? '\n  ]\n}\n' : ']\n}\n'));
    const file = new Uint8Array(this.chunks.reduce((size, chunk) => size + chunk.length, 0));
    let offset = 0;
    for (const chunk of this.chunks) {
      file.set(chunk, offset);
      offset += chunk.length;
    }
    return { headHash: this.headHash, events: this.count, file };
  }
}

export { sha256Hex };

/** A file name safe as one path segment of the pack: no separators or control characters, bounded length. */
export function packSegment(name: string): string {
  const cleaned = [...name.replace(/[\\/:]/g, '_')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('').trim();
  const safe = cleaned.replace(/^\.+/, '_') || 'document';
  return [...safe].slice(0, 120).join('');
}

/**
 * Builds the zip. `seal` (the instance's, see evidence-seal.ts) signs the exact bytes of manifest.json; its
 * detached CMS goes beside it as manifest.json.p7s, the one file the manifest cannot list.
 */
export async function buildEvidencePack(
  input: EvidenceInput,
  seal?: (manifest: Uint8Array) => Promise<Uint8Array>,
  stampSeal?: (seal: Uint8Array) => Promise<Uint8Array | null>,
): Promise<{ zip: Uint8Array; manifest: EvidenceManifest }> {
  const files = new Map<string, Uint8Array>();
  const add = (path: string, bytes: Uint8Array) => {
    if (files.has(path)) throw new Error(`evidence pack: ${path} twice`);
    files.set(path, bytes);
    return path;
  };
  const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

  const documents = input.documents.map((d) => {
    const base = `${d.position + 1}-${packSegment(d.name)}`;
    const file = add(`documents/${base}`, d.content);
    let signature: EvidenceManifest['documents'][number]['signature'] = null;
    if (d.finalCms && d.report) {
      signature = {
        file: add(`signatures/${base}.p7s`, d.finalCms),
        sha256: sha256Hex(d.finalCms),
        report: add(`reports/${base}.report.json`, json(d.report)),
        indication: d.report.indication,
      };
    }
    return { id: d.id, position: d.position, name: d.name, size: d.content.length, sha256: d.sha256, file, signature };
  });

  const rounds = input.rounds.map((r, i) => {
    const { archive, timestamps, ...round } = r;
    let entry: EvidenceManifest['rounds'][number]['archive'] = null;
    if (archive) {
      const file = archive.zip ? add(`archives/round-${i + 1}-${packSegment(r.sessionId)}.zip`, archive.zip) : null;
      entry = { status: archive.status, file, sha256: archive.zip ? sha256Hex(archive.zip) : null };
    }
    const stamped = (timestamps ?? []).map((t) => {
      const document = input.documents.find((d) => d.id === t.documentId);
      const name = document ? `${document.position + 1}-${packSegment(document.name)}` : packSegment(t.documentId);
      return { documentId: t.documentId, file: add(`timestamps/round-${i + 1}-${name}.tsr`, t.token) };
    });
    return { ...round, archive: entry, ...(stamped.length ? { timestamps: stamped } : {}) };
  });

  const identity = (input.identity ?? []).map((a) => {
    const base = `identity/${a.signerPosition + 1}-attempt-${a.attempt}`;
    return {
      signerId: a.signerId,
      attempt: a.attempt,
      sessionId: a.sessionId,
      status: a.status,
      failureReason: a.failureReason,
      result: add(`${base}.result.json`, json(a.result)),
      reports: a.reports.map((r) => ({ technology: r.technology, file: add(`${base}-${packSegment(r.technology)}.pdf`, r.pdf), sha256: sha256Hex(r.pdf) })),
    };
  });

  add(AUDIT_PATH, input.audit.file);
  add(CERTIFICATE_PATH, input.certificate);

  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    generatedAt: input.generatedAt,
    envelope: input.envelope,
    documents,
    signers: input.signers,
    rounds,
    ...(identity.length ? { identity } : {}),
    audit: { file: AUDIT_PATH, headHash: input.audit.headHash, events: input.audit.events },
    certificate: { file: CERTIFICATE_PATH },
    files: [...files.entries()].map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length })),
  };

  const manifestBytes = json(manifest);
  const zippable: Zippable = { [MANIFEST_PATH]: manifestBytes };
  if (seal) {
    const sealed = await seal(manifestBytes);
    zippable[SEAL_PATH] = sealed;
    const token = stampSeal ? await stampSeal(sealed) : null;
    if (token) zippable[SEAL_TIMESTAMP_PATH] = token;
  }
  // Archives and PDFs are compressed already.
  for (const [path, bytes] of files) zippable[path] = [bytes, { level: /\.(zip|pdf)$/.test(path) ? 0 : 6 }];
  return { zip: zipSync(zippable), manifest };
}
