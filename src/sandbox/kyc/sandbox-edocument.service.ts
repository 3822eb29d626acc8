import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QRCode from 'qrcode';
import { DataSource, type EntityManager } from 'typeorm';
import { isValidIin } from '../../cms/iin.js';
import { EDOCUMENT_TYPES, isEDocumentType, type EDocumentType } from '../../kyc/edocument/edocument.types.js';
import { fullName, type PersonName } from '../domain/kazakh-names.js';
import { ProviderApiError } from '../sandbox.errors.js';
import { SandboxClock } from '../sandbox-clock.js';
import { SandboxPeopleService } from '../sandbox-people.service.js';
import { eDocumentNumber, eDocumentResultJson, genderOf } from './domain/edocument-data.js';
import { eDocumentPdf } from './domain/edocument-pdf.js';
import { barcodePng, documentImagePng, facePhotoPng } from './domain/images.js';
import { generateOtp } from './domain/kyc-keys.js';
import { assumedError, eDocumentError, SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';
import { SandboxEDocumentRequest, type SandboxKycClient } from './sandbox-kyc.entities.js';

const require = createRequire(import.meta.url);
let font: Buffer | undefined;
function fontBytes(): Buffer {
  font ??= readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return font;
}

const PHONE = /^77\d{9}$/;
/** Every sandbox document was issued on the same day: the same person always gets the same document. */
const ISSUED_ON = new Date(Date.UTC(2019, 4, 15));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InboxMessage {
  from: '1414';
  text: string;
  code: string;
  at: Date;
}

/**
 * The sandbox's E-Document (guide 004): a request "sends" an OTP from 1414 (shown on the inbox page), approve
 * checks it and answers the document. Natural errors: a wrong IIN ("Invalid IIN"), a phone outside the mobile
 * citizens database (anything but 77XXXXXXXXX: "Subject not found in CMDB"), approve without a request, twice,
 * or with a wrong code; every other row of the table through the client's faults.
 */
@Injectable()
export class SandboxEDocumentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: SandboxKycAccountsService,
    private readonly people: SandboxPeopleService,
    private readonly clock: SandboxClock,
  ) {}

  /** POST request/{document_type}/ (also the flow page's E-Document step, with its flow session). */
  async request(client: SandboxKycClient, documentType: unknown, body: Record<string, unknown>, flowSessionId: string | null = null, manager?: EntityManager): Promise<SandboxEDocumentRequest> {
    if (!isEDocumentType(documentType)) throw new ProviderApiError(400, `document_type: one of ${Object.keys(EDOCUMENT_TYPES).join(', ')}`);
    await this.accounts.applyFault(client.id, 'request');
    const iin = body.iin;
    const phone = body.phone;
    if (typeof iin !== 'string' || !isValidIin(iin)) throw eDocumentError('INVALID_IIN');
    if (typeof phone !== 'string' || !PHONE.test(phone)) throw eDocumentError('SUBJECT_NOT_FOUND');
    const repository = (manager ?? this.db.manager).getRepository(SandboxEDocumentRequest);
    if (flowSessionId && (await repository.existsBy({ flowSessionId }))) throw eDocumentError('ALREADY_REQUESTED');
    return repository.save(repository.create({ clientId: client.id, flowSessionId, documentType, iin, phone, code: generateOtp(), status: 'REQUESTED', createdAt: this.clock.now() }));
  }

  /** POST approve/: the code must be the one sent, once. */
  async approve(body: Record<string, unknown>): Promise<{ request: SandboxEDocumentRequest; answer: Record<string, unknown> }> {
    const id = body.backend_session_id;
    if (typeof id !== 'string' || id.length === 0) throw new ProviderApiError(400, 'backend_session_id: field required');
    if (typeof body.code !== 'string' || body.code.length === 0) throw new ProviderApiError(400, 'code: field required');
    const fileType = body.file_type ?? 'pdf';
    if (fileType !== 'pdf' && fileType !== 'image') throw new ProviderApiError(400, 'file_type: one of pdf, image');
    const request = UUID.test(id) ? await this.db.getRepository(SandboxEDocumentRequest).findOneBy({ id }) : null;
    if (!request) throw eDocumentError('NOT_REQUESTED');
    await this.accounts.applyFault(request.clientId, 'approve');
    if (request.status === 'RECEIVED') throw eDocumentError('ALREADY_RECEIVED');
    if (body.code !== request.code) throw assumedError('INVALID_CODE');
    const taken = await this.db.getRepository(SandboxEDocumentRequest).update({ id, status: 'REQUESTED' }, { status: 'RECEIVED', receivedAt: this.clock.now() });
    if (!taken.affected) throw eDocumentError('ALREADY_RECEIVED');
    const answer = await this.answer(request, body.file === true || body.file === 'true' ? fileType : null);
    return { request, answer };
  }

  /** POST generate-files/: the document's PDF and image again, for a received request of this client (by its id or its flow session's). */
  async generateFiles(client: SandboxKycClient, sessionId: unknown): Promise<Record<string, string>> {
    await this.accounts.applyFault(client.id, 'generate-files');
    if (typeof sessionId !== 'string' || !UUID.test(sessionId)) throw assumedError('FLOW_SESSION_NOT_FOUND');
    const request = await this.db.getRepository(SandboxEDocumentRequest).findOne({ where: [{ id: sessionId, clientId: client.id }, { flowSessionId: sessionId, clientId: client.id }] });
    if (!request) throw assumedError('FLOW_SESSION_NOT_FOUND');
    if (request.status !== 'RECEIVED') throw eDocumentError('NOT_REQUESTED');
    const type = request.documentType as EDocumentType;
    const name = await this.people.nameOf(request.iin);
    const resultJson = eDocumentResultJson(type, { iin: request.iin, name }, ISSUED_ON);
    return {
      document_pdf: Buffer.from(await this.documentPdf(type, request.iin, name, resultJson)).toString('base64'),
      document_image: documentImagePng(request.iin, type).toString('base64'),
    };
  }

  private documentPdf(type: EDocumentType, iin: string, name: PersonName, resultJson: Record<string, unknown>): Promise<Uint8Array> {
    const title = `${EDOCUMENT_TYPES[type]} № ${eDocumentNumber(type, iin)} · ${fullName(name)}`;
    return eDocumentPdf(title, resultJson, facePhotoPng(iin), fontBytes());
  }

  /** The approve answer of a request (004 §3); the file asked for, or none. */
  async answer(request: Pick<SandboxEDocumentRequest, 'documentType' | 'iin' | 'receivedAt' | 'createdAt'>, file: 'pdf' | 'image' | null): Promise<Record<string, unknown>> {
    const type = request.documentType as EDocumentType;
    const name = await this.people.nameOf(request.iin);
    const resultJson = eDocumentResultJson(type, { iin: request.iin, name }, ISSUED_ON);
    const face = facePhotoPng(request.iin);
    const number = eDocumentNumber(type, request.iin);
    return {
      document_type: type,
      result_json: resultJson,
      face_photo: face.toString('base64'),
      qrcode: (await QRCode.toBuffer(`sandbox-edocument:${type}:${number}`, { type: 'png', margin: 1, width: 160 })).toString('base64'),
      barcode: barcodePng(number).toString('base64'),
      document_image: file === 'image' ? documentImagePng(request.iin, type).toString('base64') : null,
      gender: genderOf(request.iin),
      document_pdf: file === 'pdf' ? Buffer.from(await this.documentPdf(type, request.iin, name, resultJson)).toString('base64') : null,
    };
  }

  /** The OTP of a request of this client (automation). */
  async otp(client: SandboxKycClient, backendSessionId: unknown): Promise<string> {
    const request = typeof backendSessionId === 'string' && UUID.test(backendSessionId) ? await this.db.getRepository(SandboxEDocumentRequest).findOneBy({ id: backendSessionId, clientId: client.id }) : null;
    if (!request) throw eDocumentError('NOT_REQUESTED');
    return request.code;
  }

  /** The SMS from 1414 sent to a phone, newest first (the sandbox's stand-in for the person's phone). */
  async inbox(phone: string): Promise<InboxMessage[]> {
    if (!PHONE.test(phone)) return [];
    const rows = await this.db.getRepository(SandboxEDocumentRequest).find({ where: { phone }, order: { createdAt: 'DESC' }, take: 20 });
    return rows.map((r) => ({
      from: '1414',
      code: r.code,
      at: r.createdAt,
      text: `Код для получения электронного документа «${EDOCUMENT_TYPES[r.documentType as EDocumentType] ?? r.documentType}»: ${r.code}. Никому не сообщайте код. / Code to receive your e-document: ${r.code}.`,
    }));
  }
}
