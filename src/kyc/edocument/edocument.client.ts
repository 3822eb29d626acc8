import { KycError } from '../kyc.errors.js';
import { isRecord, KycHttp, type KycHttpOptions } from '../kyc-http.js';
import { isEDocumentType, type EDocumentApproval, type EDocumentRequest, type EDocumentResult, type EDocumentType, type GeneratedEDocumentFiles } from './edocument.types.js';

export const EDOCUMENT_PATHS = {
  request: (type: EDocumentType) => `/api/v1/backend/e-document/online-access/request/${type}/`,
  approve: '/api/v1/backend/e-document/online-access/approve/',
  generateFiles: '/api/v1/e-document/generate-files/',
} as const;

export interface EDocumentClientOptions extends KycHttpOptions {
  /** The organisation's Backend Api Key from the personal cabinet. */
  backendApiKey: string;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

export function parseEDocumentResult(json: unknown): EDocumentResult {
  if (!isRecord(json) || typeof json.document_type !== 'string' || !isRecord(json.result_json)) {
    throw KycError.unexpected('POST e-document/online-access/approve', 'no document_type/result_json');
  }
  return {
    documentType: json.document_type,
    resultJson: json.result_json,
    facePhoto: str(json.face_photo),
    qrcode: str(json.qrcode),
    barcode: str(json.barcode),
    documentImage: str(json.document_image),
    gender: str(json.gender),
    documentPdf: str(json.document_pdf),
  };
}

/**
 * Typed client of E-Document (guide 004) for one organisation's backend key: request a state document by IIN
 * and phone (the person gets an OTP from 1414), approve with the code, regenerate missing files. The request
 * and the approval are never retried: a repeat sends another SMS or spends the one-time code.
 */
export class EDocumentClient {
  readonly #backendApiKey: string;
  readonly #http: KycHttp;

  constructor(options: EDocumentClientOptions) {
    if (!options.backendApiKey) throw new Error('EDocumentClient: backendApiKey is required');
    this.#backendApiKey = options.backendApiKey;
    this.#http = new KycHttp(options);
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** POST online-access/request/{document_type}/ → backend_session_id (the OTP goes to the phone). */
  async request(documentType: EDocumentType, request: EDocumentRequest): Promise<{ backendSessionId: string }> {
    if (!isEDocumentType(documentType)) throw new Error(`EDocumentClient: unknown document type ${String(documentType)}`);
    const json = await this.#http.json({
      method: 'POST',
      path: EDOCUMENT_PATHS.request(documentType),
      body: { api_key: this.#backendApiKey, iin: request.iin, phone: request.phone },
      retry: 'never',
      operation: 'POST e-document/online-access/request',
    });
    if (!isRecord(json) || typeof json.backend_session_id !== 'string') throw KycError.unexpected('POST e-document/online-access/request', 'no backend_session_id');
    return { backendSessionId: json.backend_session_id };
  }

  /** POST online-access/approve/ with the OTP → the document (JSON, photos, and the file asked for). */
  async approve(approval: EDocumentApproval): Promise<EDocumentResult> {
    const json = await this.#http.json({
      method: 'POST',
      path: EDOCUMENT_PATHS.approve,
      body: { backend_session_id: approval.backendSessionId, code: approval.code, file: approval.file, file_type: approval.fileType },
      retry: 'never',
      operation: 'POST e-document/online-access/approve',
    });
    return parseEDocumentResult(json);
  }

  /** POST e-document/generate-files/: makes a missing document_pdf / document_image again (answer shape assumed, docs/kyc.md). */
  async generateFiles(sessionId: string): Promise<GeneratedEDocumentFiles> {
    const json = await this.#http.json({
      method: 'POST',
      path: EDOCUMENT_PATHS.generateFiles,
      body: { session_id: sessionId, api_key: this.#backendApiKey },
      retry: 'safe',
      operation: 'POST e-document/generate-files',
    });
    if (!isRecord(json)) throw KycError.unexpected('POST e-document/generate-files', 'not an object');
    return { documentPdf: str(json.document_pdf), documentImage: str(json.document_image) };
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }
}
