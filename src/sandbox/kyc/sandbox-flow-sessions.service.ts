import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isValidIin, makeIin } from '../../cms/iin.js';
import { REPORT_TECHNOLOGIES } from '../../kyc/flows/flow.types.js';
import { isEDocumentType } from '../../kyc/edocument/edocument.types.js';
import { importPrivateKey } from '../domain/certificates.js';
import type { Signer } from '../domain/cms-sign.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { SandboxClock } from '../sandbox-clock.js';
import { SandboxPeopleService } from '../sandbox-people.service.js';
import { API_CODE, apiCodes, FAILURE_REASONS, flowResultJson, isFailureReason, stepResult, TECHNOLOGY_INFO, type StepResult } from './domain/flow-steps.js';
import { imageTypeOf } from './domain/images.js';
import { flowWebhook, type FlowWebhookBody } from './domain/flow-webhooks.js';
import { livenessVideo } from './domain/liveness-video.js';
import { issueReportCertificate } from './domain/report-signer.js';
import { signedTechnologyReport } from './domain/report-pdf.js';
import { assumedError, SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';
import { SandboxEDocumentService } from './sandbox-edocument.service.js';
import { SandboxEDocumentRequest, SandboxKycFlowSession, SandboxKycReportSigner, type SandboxKycFlow } from './sandbox-kyc.entities.js';

const require = createRequire(import.meta.url);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A flow session lives at most 10 minutes (guide 002). */
export const FLOW_SESSION_LIFETIME_MS = 10 * 60_000;
/** photo1 decoded: the sandbox's cap (the guides give none). */
export const PHOTO1_MAX_BYTES = 5 * 1024 * 1024;
/** The document a flow's E-Document step asks for. */
export const FLOW_EDOCUMENT_TYPE = 'identity_card';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export type StepAction = { kind: 'pass' } | { kind: 'fail'; reason: string };

/** What the page needs to show a session. */
export interface FlowSessionView {
  session: SandboxKycFlowSession;
  expired: boolean;
  /** The technology the person is at, or null when over. */
  current: string | null;
  /** Face2Face: what the face will be compared with. */
  reference: 'photo1' | 'edocument' | null;
  /** The pending E-Document request of the flow, if any. */
  edocumentRequest: SandboxEDocumentRequest | null;
}

/** Checks and cleans the metadata of session create (001 §3); photo1 is returned apart, as bytes. */
export function readMetadata(value: unknown): { metadata: Record<string, unknown>; photo1: Buffer | null } {
  if (value === undefined || value === null) return { metadata: {}, photo1: null };
  if (!isRecord(value)) throw new ProviderApiError(400, 'metadata: expected an object');
  const metadata: Record<string, unknown> = {};
  let photo1: Buffer | null = null;
  const { face2face, edocument, extra, general } = value;
  if (face2face !== undefined) {
    if (!isRecord(face2face)) throw new ProviderApiError(400, 'metadata.face2face: expected an object');
    if (face2face.photo1 !== undefined) {
      if (typeof face2face.photo1 !== 'string') throw new ProviderApiError(400, 'metadata.face2face.photo1: expected a base64 string');
      const cleaned = face2face.photo1.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned)) throw new ProviderApiError(400, 'metadata.face2face.photo1: not valid base64');
      if (Math.floor((cleaned.length * 3) / 4) > PHOTO1_MAX_BYTES + 3) throw new ProviderApiError(400, `metadata.face2face.photo1: larger than ${PHOTO1_MAX_BYTES / 1024 / 1024} MB`);
      photo1 = Buffer.from(cleaned, 'base64');
      if (!imageTypeOf(photo1)) throw new ProviderApiError(400, 'metadata.face2face.photo1: expected a JPEG or PNG image');
    }
    metadata.face2face = {};
  }
  if (edocument !== undefined) {
    if (!isRecord(edocument)) throw new ProviderApiError(400, 'metadata.edocument: expected an object');
    const clean: Record<string, unknown> = {};
    for (const name of ['iin', 'phone'] as const) {
      const field = edocument[name];
      if (field === undefined) continue;
      if (!isRecord(field)) throw new ProviderApiError(400, `metadata.edocument.${name}: expected {value, changeable}`);
      if (field.value !== undefined && typeof field.value !== 'string') throw new ProviderApiError(400, `metadata.edocument.${name}.value: expected a string`);
      if (field.changeable !== undefined && typeof field.changeable !== 'boolean') throw new ProviderApiError(400, `metadata.edocument.${name}.changeable: expected a boolean`);
      clean[name] = { value: field.value ?? null, changeable: field.changeable ?? true };
    }
    if (edocument.skip_input !== undefined && typeof edocument.skip_input !== 'boolean') throw new ProviderApiError(400, 'metadata.edocument.skip_input: expected a boolean');
    clean.skip_input = edocument.skip_input ?? false;
    // Not in the guides: which state document the step fetches (Kezek's assumption, docs/kyc.md); identity card by default.
    if (edocument.document_type !== undefined && !isEDocumentType(edocument.document_type)) throw new ProviderApiError(400, 'metadata.edocument.document_type: one of the E-Document types');
    clean.document_type = edocument.document_type ?? FLOW_EDOCUMENT_TYPE;
    metadata.edocument = clean;
  }
  if (extra !== undefined) {
    if (!isRecord(extra)) throw new ProviderApiError(400, 'metadata.extra: expected an object');
    if (extra.iin !== undefined && (typeof extra.iin !== 'string' || !isValidIin(extra.iin))) throw new ProviderApiError(400, 'Invalid IIN');
    metadata.extra = { ...(extra.iin ? { iin: extra.iin } : {}) };
  }
  if (general !== undefined) {
    if (!isRecord(general)) throw new ProviderApiError(400, 'metadata.general: expected an object');
    const tech = general.interchangeable_tech;
    if (tech !== undefined && !(Array.isArray(tech) && tech.length <= 10 && tech.every((t) => typeof t === 'string' && t.length <= 20))) {
      throw new ProviderApiError(400, 'metadata.general.interchangeable_tech: expected a list of technology codes');
    }
    metadata.general = { ...(tech ? { interchangeable_tech: tech } : {}) };
  }
  return { metadata, photo1 };
}

/** The state document a flow session's E-Document step fetches. */
export function flowDocumentType(session: { metadata: Record<string, unknown> }): string {
  return (session.metadata.edocument as { document_type?: string } | undefined)?.document_type ?? FLOW_EDOCUMENT_TYPE;
}

/** Whether the E-Document input step is skipped: values given, both locked, skip_input true (001 §3.2 case 1). */
export function skipsInput(metadata: Record<string, unknown>): boolean {
  const ed = metadata.edocument as { iin?: { value: string | null; changeable: boolean }; phone?: { value: string | null; changeable: boolean }; skip_input?: boolean } | undefined;
  return Boolean(ed?.skip_input && ed.iin?.value && ed.iin.changeable === false && ed.phone?.value && ed.phone.changeable === false);
}

/**
 * Flow sessions of the sandbox (guides 000/001/002): created with a flow's key, walked through on the flow page
 * (or by automation) one technology after another, 10 minutes at most; then the result, the liveness video and
 * a signed PDF report per technology.
 */
@Injectable()
export class SandboxFlowSessionsService {
  private reportSigner?: Promise<Signer>;
  private readonly logger = new Logger('SandboxKyc');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: SandboxKycAccountsService,
    private readonly edocuments: SandboxEDocumentService,
    private readonly people: SandboxPeopleService,
    private readonly clock: SandboxClock,
  ) {}

  async create(flow: SandboxKycFlow, metadataValue: unknown): Promise<{ session_id: string; technologies: string[] }> {
    const { metadata, photo1 } = readMetadata(metadataValue);
    const now = this.clock.now();
    const repository = this.db.getRepository(SandboxKycFlowSession);
    const session = await repository.save(
      repository.create({
        flowId: flow.id,
        technologies: apiCodes(flow.technologies),
        metadata,
        photo1,
        status: 'STARTED',
        step: 0,
        results: [],
        edocument: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + FLOW_SESSION_LIFETIME_MS),
        finishedAt: null,
      }),
    );
    if (flow.webhookUrl && session.technologies[0]) this.send(flow.webhookUrl, flowWebhook('technology.start', session, flow.name, session.technologies[0], now));
    return { session_id: session.id, technologies: session.technologies };
  }

  async find(sessionId: unknown): Promise<SandboxKycFlowSession | null> {
    if (typeof sessionId !== 'string' || !UUID.test(sessionId)) return null;
    return this.db.getRepository(SandboxKycFlowSession).findOneBy({ id: sessionId });
  }

  private async owned(flow: SandboxKycFlow, sessionId: unknown): Promise<SandboxKycFlowSession> {
    const session = await this.find(sessionId);
    if (!session || session.flowId !== flow.id) throw assumedError('FLOW_SESSION_NOT_FOUND');
    return session;
  }

  isExpired(session: SandboxKycFlowSession): boolean {
    return session.status === 'STARTED' && this.clock.now().getTime() >= session.expiresAt.getTime();
  }

  async view(session: SandboxKycFlowSession): Promise<FlowSessionView> {
    const expired = this.isExpired(session);
    const current = session.status === 'STARTED' && !expired ? (session.technologies[session.step] ?? null) : null;
    const edocumentRequest = await this.db.getRepository(SandboxEDocumentRequest).findOneBy({ flowSessionId: session.id });
    return { session, expired, current, reference: session.photo1 ? 'photo1' : session.edocument ? 'edocument' : null, edocumentRequest };
  }

  async result(flow: SandboxKycFlow, sessionId: unknown): Promise<Record<string, unknown>> {
    const session = await this.owned(flow, sessionId);
    const edocument = session.edocument
      ? await this.edocuments.answer({ documentType: session.edocument.documentType, iin: session.edocument.iin, createdAt: session.createdAt, receivedAt: null }, null)
      : null;
    const dr = session.results.find((r) => r.code === 'DR' && r.passed);
    const drIin = (session.metadata.extra as { iin?: string } | undefined)?.iin ?? session.edocument?.iin;
    const documentRecognition = dr && drIin ? await this.recognised(drIin) : null;
    return flowResultJson({ id: session.id, technologies: session.technologies, results: session.results, finished: session.status === 'FINISHED', expired: this.isExpired(session), edocument, documentRecognition });
  }

  private async recognised(iin: string): Promise<Record<string, unknown>> {
    const name = await this.people.nameOf(iin);
    return { first_name: name.givenName, last_name: name.surname, patronymic: name.patronymic, personal_number: iin, document_number: iin.slice(3, 12), authority: 'МВД РК' };
  }

  async video(flow: SandboxKycFlow, sessionId: unknown): Promise<Buffer> {
    const session = await this.owned(flow, sessionId);
    if (!session.results.some((r) => r.code === 'LDHP')) throw assumedError('VIDEO_NOT_FOUND');
    return livenessVideo(session.id);
  }

  async report(flow: SandboxKycFlow, sessionId: unknown, technology: unknown): Promise<{ pdf: string }> {
    if (typeof technology !== 'string' || !(REPORT_TECHNOLOGIES as readonly string[]).includes(technology)) {
      throw new ProviderApiError(400, `technology: one of ${REPORT_TECHNOLOGIES.join(', ')}`);
    }
    const session = await this.owned(flow, sessionId);
    const iin = (session.metadata.extra as { iin?: string } | undefined)?.iin;
    if (!iin) throw assumedError('REPORT_IIN_MISSING');
    const result = session.results.find((r) => r.code === technology);
    if (!result) throw assumedError('REPORT_NOT_AVAILABLE');
    const pdf = await signedTechnologyReport(
      {
        sessionId: session.id,
        technology,
        technologyName: TECHNOLOGY_INFO[technology]?.name ?? technology,
        iin,
        passed: result.passed,
        prediction: result.prediction,
        failureReason: result.failureReason?.type ?? null,
        reference: result.reference ?? null,
        completedAt: new Date(result.at),
        generatedAt: this.clock.now(),
      },
      await this.signer(),
      readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    );
    return { pdf: Buffer.from(pdf).toString('base64') };
  }

  /** The report key, made once and kept (several instances agree on the first stored). */
  private signer(): Promise<Signer> {
    this.reportSigner ??= (async () => {
      const repository = this.db.getRepository(SandboxKycReportSigner);
      let row = await repository.findOneBy({ id: 1 });
      if (!row) {
        const issued = await issueReportCertificate(await this.people.ca(), this.clock.now());
        await this.db.query(`INSERT INTO sandbox.kyc_report_signer (id, certificate_der, private_key_pkcs8) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [
          Buffer.from(issued.certificateDer),
          Buffer.from(issued.privateKeyPkcs8),
        ]);
        row = await repository.findOneByOrFail({ id: 1 });
      }
      return { certificateDer: row.certificateDer, privateKey: await importPrivateKey(row.privateKeyPkcs8) };
    })().catch((error: unknown) => {
      this.reportSigner = undefined;
      throw error;
    });
    return this.reportSigner;
  }

  /** Webhooks written by a transaction, sent once it has committed (never before the state they announce). */
  private readonly outboxes = new WeakMap<EntityManager, { url: string; body: FlowWebhookBody }[]>();

  /**
   * Runs `work` on the session locked, if it is still open; answers why not otherwise. The flow webhooks its
   * steps produced go out after the commit.
   */
  private async locked<T>(sessionId: string, work: (session: SandboxKycFlowSession, manager: EntityManager) => Promise<T>): Promise<T> {
    const outbox: { url: string; body: FlowWebhookBody }[] = [];
    const result = await this.db.transaction(async (manager) => {
      this.outboxes.set(manager, outbox);
      const session = await manager.getRepository(SandboxKycFlowSession).findOne({ where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
      if (!session) throw assumedError('FLOW_SESSION_NOT_FOUND');
      if (this.isExpired(session)) throw assumedError('FLOW_SESSION_EXPIRED');
      if (session.status !== 'STARTED') throw new ProviderApiError(400, 'Session is already finished');
      return work(session, manager);
    });
    for (const { url, body } of outbox) this.send(url, body);
    return result;
  }

  private async record(manager: EntityManager, session: SandboxKycFlowSession, result: StepResult): Promise<void> {
    session.results = [...session.results, result];
    session.step += 1;
    if (!result.passed || session.step >= session.technologies.length) {
      session.status = 'FINISHED';
      session.finishedAt = this.clock.now();
    }
    await manager.getRepository(SandboxKycFlowSession).save(session);
    const flow = await this.accounts.flowById(session.flowId, manager);
    const outbox = this.outboxes.get(manager);
    if (!flow.webhookUrl || !outbox) return;
    const now = this.clock.now();
    outbox.push({ url: flow.webhookUrl, body: flowWebhook('technology.end', session, flow.name, result.code, now, result.passed) });
    const next = session.status === 'STARTED' ? session.technologies[session.step] : undefined;
    if (next) outbox.push({ url: flow.webhookUrl, body: flowWebhook('technology.start', session, flow.name, next, now) });
  }

  /**
   * Best effort, as a sandbox may be: a few tries with a short timeout, never holding up the person's page.
   * The guides define no signature for these webhooks, so none is sent.
   */
  private send(url: string, body: FlowWebhookBody): void {
    void (async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000), redirect: 'manual' });
          if (response.status < 500) return;
        } catch {
          // tried again below
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * 4 ** attempt));
      }
      this.logger.debug({ sessionId: body.session_id, event: body.event }, 'sandbox flow webhook not delivered');
    })();
  }

  /** The person passes or fails the technology they are at (not E-Document, which needs the OTP). */
  async act(sessionId: string, technology: string, action: StepAction): Promise<void> {
    await this.locked(sessionId, async (session, manager) => {
      const current = session.technologies[session.step];
      if (current !== technology) throw new ProviderApiError(409, 'This step is already over');
      if (action.kind === 'fail') {
        if (!isFailureReason(current, action.reason)) throw new ProviderApiError(400, `reason: one of ${(FAILURE_REASONS[current] ?? []).join(', ')}`);
        return this.record(manager, session, stepResult(current, false, action.reason, this.clock.now()));
      }
      if (current === 'ED') throw new ProviderApiError(400, 'E-Document passes with the code from 1414');
      if (current === 'F2F') {
        const reference = session.photo1 ? 'photo1' : session.edocument ? 'edocument' : null;
        if (!reference) throw new ProviderApiError(400, 'Face2Face has no reference photo: give photo1 or pass E-Document first');
        return this.record(manager, session, stepResult(current, true, null, this.clock.now(), reference));
      }
      return this.record(manager, session, stepResult(current, true, null, this.clock.now()));
    });
  }

  /** The E-Document step: the request for the flow's document (sends the OTP). */
  async requestEDocument(sessionId: string, iin: string, phone: string): Promise<void> {
    await this.locked(sessionId, async (session, manager) => {
      if (session.technologies[session.step] !== 'ED') throw new ProviderApiError(409, 'This step is already over');
      const ed = session.metadata.edocument as { iin?: { value: string | null; changeable: boolean }; phone?: { value: string | null; changeable: boolean } } | undefined;
      // Locked fields keep the integrator's values whatever the form sent.
      const lockedIin = ed?.iin?.changeable === false && ed.iin.value ? ed.iin.value : iin;
      const lockedPhone = ed?.phone?.changeable === false && ed.phone.value ? ed.phone.value : phone;
      const flow = await this.accounts.flowById(session.flowId, manager);
      const client = await this.accounts.client(flow.clientId);
      await this.edocuments.request(client, flowDocumentType(session), { iin: lockedIin, phone: lockedPhone }, session.id, manager);
    });
  }

  /** The E-Document step: the person's code; a right one passes the step. */
  async approveEDocument(sessionId: string, code: string): Promise<void> {
    const request = await this.db.getRepository(SandboxEDocumentRequest).findOneBy({ flowSessionId: sessionId });
    if (!request) throw new ProviderApiError(400, 'You have not sent a request for access to an e-document');
    await this.locked(sessionId, async (session) => {
      if (session.technologies[session.step] !== 'ED') throw new ProviderApiError(409, 'This step is already over');
    });
    await this.edocuments.approve({ backend_session_id: request.id, code, file: false, file_type: 'pdf' });
    await this.locked(sessionId, async (session, manager) => {
      session.edocument = { documentType: request.documentType, iin: request.iin, phone: request.phone };
      await this.record(manager, session, stepResult('ED', true, null, this.clock.now()));
    });
  }

  /** Automation: pass every remaining technology, or pass up to one and fail it. */
  async complete(flow: SandboxKycFlow, sessionId: unknown, outcome: unknown, technology: unknown, reason: unknown, ownerIin?: unknown): Promise<Record<string, unknown>> {
    const session = await this.owned(flow, sessionId);
    if (ownerIin !== undefined && (typeof ownerIin !== 'string' || !isValidIin(ownerIin))) throw new ProviderApiError(400, 'documentOwnerIin: a valid IIN');
    const documentOwnerIin = ownerIin as string | undefined;
    if (outcome !== 'pass' && outcome !== 'fail') throw new ProviderApiError(400, 'outcome: pass or fail');
    let failAt = -1;
    if (outcome === 'fail') {
      const code = typeof technology === 'string' ? (API_CODE[technology.toUpperCase()] ?? technology.toUpperCase()) : undefined;
      failAt = code ? session.technologies.indexOf(code) : -1;
      if (failAt < 0) throw new ProviderApiError(400, `technology: one of ${session.technologies.join(', ')} (the session's)`);
      if (failAt < session.step) throw new ProviderApiError(409, 'That step is already over');
      const failCode = session.technologies[failAt]!;
      if (reason !== undefined && !isFailureReason(failCode, reason)) throw new ProviderApiError(400, `reason: one of ${(FAILURE_REASONS[failCode] ?? []).join(', ')}`);
    }
    await this.locked(session.id, async (locked, manager) => {
      while (locked.status === 'STARTED') {
        const code = locked.technologies[locked.step]!;
        if (locked.step === failAt) {
          await this.record(manager, locked, stepResult(code, false, (reason as string | undefined) ?? FAILURE_REASONS[code]![0]!, this.clock.now()));
          break;
        }
        if (code === 'ED') {
          const ed = locked.metadata.edocument as { iin?: { value: string | null }; phone?: { value: string | null } } | undefined;
          const iin = ed?.iin?.value ?? (locked.metadata.extra as { iin?: string } | undefined)?.iin ?? makeIin({ year: 1988, month: 3, day: 14 }, true, 1);
          // documentOwnerIin: the state database answers with another person's document (an owner mismatch, for tests).
          locked.edocument = { documentType: flowDocumentType(locked), iin: documentOwnerIin ?? iin, phone: ed?.phone?.value ?? '77000000000' };
        }
        const reference = code === 'F2F' ? (locked.photo1 ? 'photo1' : locked.edocument ? 'edocument' : null) : undefined;
        await this.record(manager, locked, stepResult(code, true, null, this.clock.now(), reference));
      }
    });
    return this.result(flow, session.id);
  }
}
