import { setTimeout as sleep } from 'node:timers/promises';
import { KycError } from '../kyc.errors.js';
import { isRecord, KycHttp, type KycHttpOptions } from '../kyc-http.js';
import type {
  CreatedFlowSession,
  DocumentOwner,
  FlowPageOptions,
  FlowSessionMetadata,
  FlowSessionResult,
  FlowWebhookEvent,
  LivenessVideo,
  PrefilledField,
  ReportTechnology,
} from './flow.types.js';

export const FLOW_PATHS = {
  create: '/api/v1/flows/session/create/',
  result: '/api/v1/flows/session/result/',
  video: '/api/v1/liveness/video/download/',
  report: (sessionId: string) => `/api/v1/flows/session/${encodeURIComponent(sessionId)}/report/`,
} as const;

export interface FlowClientOptions extends KycHttpOptions {
  /** The person's pages, e.g. https://remote.biometric.kz or http://localhost:3000/sandbox/remote. */
  flowUrl: string;
  /** The API KEY of one flow of the personal cabinet. */
  apiKey: string;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

function field(value: PrefilledField | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  return { ...(value.value !== undefined ? { value: value.value } : {}), ...(value.changeable !== undefined ? { changeable: value.changeable } : {}) };
}

/** The guide's field names for Kezek's metadata; absent parts stay absent ("the flow proceeds by default"). */
export function metadataBody(metadata: FlowSessionMetadata): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (metadata.face2face) body.face2face = { ...(metadata.face2face.photo1 !== undefined ? { photo1: metadata.face2face.photo1 } : {}) };
  if (metadata.edocument) {
    const { iin, phone, skipInput, documentType } = metadata.edocument;
    body.edocument = {
      ...(iin ? { iin: field(iin) } : {}),
      ...(phone ? { phone: field(phone) } : {}),
      ...(skipInput !== undefined ? { skip_input: skipInput } : {}),
      ...(documentType !== undefined ? { document_type: documentType } : {}),
    };
  }
  if (metadata.extra) body.extra = { ...(metadata.extra.iin !== undefined ? { iin: metadata.extra.iin } : {}) };
  if (metadata.general) body.general = { ...(metadata.general.interchangeableTech ? { interchangeable_tech: metadata.general.interchangeableTech } : {}) };
  return body;
}

function owner(resultJson: Record<string, unknown>): DocumentOwner | null {
  const common = resultJson.common;
  const docOwner = isRecord(common) ? common.docOwner : undefined;
  if (!isRecord(docOwner)) return null;
  return { iin: str(docOwner.iin), firstName: str(docOwner.firstName), lastName: str(docOwner.lastName), middleName: str(docOwner.middleName) };
}

/** Reads a result answer; `{}` (the result is not ready yet) gives null. */
export function parseFlowResult(json: unknown, sessionId: string): FlowSessionResult | null {
  if (!isRecord(json)) throw KycError.unexpected('GET flows/session/result', 'not an object');
  if (Object.keys(json).length === 0) return null;
  const technologies = Array.isArray(json.technologies)
    ? json.technologies.map((t) => (isRecord(t) ? { name: str(t.name) ?? '', description: str(t.description) ?? '', code: str(t.code) } : { name: String(t), description: '', code: str(t) }))
    : [];
  const live = isRecord(json.liveness_result) ? json.liveness_result : null;
  const f2f = isRecord(json.face2face_result) ? json.face2face_result : null;
  const ed = isRecord(json.edocument_result) ? json.edocument_result : null;
  const reason = live && isRecord(live.failure_reason) ? live.failure_reason : null;
  const resultJson = ed && isRecord(ed.result_json) ? ed.result_json : {};
  return {
    id: str(json.id) ?? sessionId,
    technologies,
    passed: bool(json.flow_session_result),
    failureReasons: Array.isArray(json.flow_session_failure_reasons) ? json.flow_session_failure_reasons.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))) : [],
    liveness: live
      ? {
          result: live.result === true,
          prediction: num(live.prediction),
          eyeClosed: bool(live.eye_closed),
          faceCenter: bool(live.face_center),
          faceDirection: str(live.face_direction),
          failureReason: reason ? { type: str(reason.type) ?? '', detail: str(reason.detail) ?? '' } : null,
        }
      : null,
    face2face: f2f ? { result: f2f.result === true, prediction: num(f2f.prediction), predictionPercent: num(f2f.prediction_percent) } : null,
    edocument: ed ? { documentType: str(ed.document_type), resultJson, owner: owner(resultJson), facePhoto: str(ed.face_photo) } : null,
    documentRecognition: isRecord(json.document_recognition_result) ? json.document_recognition_result : null,
    raw: json,
  };
}

/** Reads a `technology.start` / `technology.end` webhook body; undefined when it is not one. */
export function parseFlowWebhook(body: unknown): FlowWebhookEvent | undefined {
  if (!isRecord(body)) return undefined;
  const event = body.event;
  if ((event !== 'technology.start' && event !== 'technology.end') || typeof body.session_id !== 'string') return undefined;
  return {
    id: str(body.id) ?? '',
    event,
    sessionId: body.session_id,
    created: str(body.created),
    success: bool(body.success),
    flowName: str(body.flow_name),
    metadata: isRecord(body.metadata) ? body.metadata : null,
    data: isRecord(body.data) ? body.data : null,
  };
}

/**
 * Typed client of Flow Remote / Flow WebView (guides 001, 002, 000) for one flow's API KEY: session creation
 * with metadata, the person's URL, the result, the liveness video and the signed PDF reports. Creating a
 * session is never retried (each call is a new session); reads and report generation are.
 */
export class FlowClient {
  readonly flowUrl: string;
  readonly #apiKey: string;
  readonly #http: KycHttp;

  constructor(options: FlowClientOptions) {
    if (!options.apiKey) throw new Error('FlowClient: apiKey is required');
    this.flowUrl = options.flowUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#http = new KycHttp(options);
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** POST flows/session/create/ with `api_key` and optional metadata → session_id and the ordered technologies. */
  async createSession(metadata?: FlowSessionMetadata): Promise<CreatedFlowSession> {
    const body: Record<string, unknown> = { api_key: this.#apiKey };
    if (metadata) body.metadata = metadataBody(metadata);
    const json = await this.#http.json({ method: 'POST', path: FLOW_PATHS.create, body, retry: 'never', operation: 'POST flows/session/create' });
    if (!isRecord(json) || typeof json.session_id !== 'string' || !Array.isArray(json.technologies)) {
      throw KycError.unexpected('POST flows/session/create', 'no session_id/technologies');
    }
    return { sessionId: json.session_id, technologies: json.technologies.map(String) };
  }

  /** `<flow host>/flow/<session_id>?redirect=…&locale=…[&web_view=true]`. */
  personUrl(sessionId: string, options: FlowPageOptions = {}): string {
    const url = new URL(`${this.flowUrl}/flow/${encodeURIComponent(sessionId)}`);
    if (options.redirect) url.searchParams.set('redirect', options.redirect);
    if (options.locale) url.searchParams.set('locale', options.locale);
    if (options.webView) url.searchParams.set('web_view', 'true');
    return url.toString();
  }

  /** The URL a WebView app catches to know the flow is over (000). */
  get finishedUrl(): string {
    return `${this.flowUrl}/finished`;
  }

  /** GET flows/session/result/: null while the provider answers `{}` (not finished, or just finished). */
  async getResult(sessionId: string): Promise<FlowSessionResult | null> {
    const json = await this.#http.json({
      method: 'GET',
      path: FLOW_PATHS.result,
      query: { session_id: sessionId, flow_api_key: this.#apiKey },
      retry: 'safe',
      operation: 'GET flows/session/result',
    });
    return parseFlowResult(json, sessionId);
  }

  /**
   * Polls the result with backoff until it is not `{}` (the provider may answer `{}` for a few seconds after
   * the flow ends), or gives null after `timeoutMs`.
   */
  async waitForResult(sessionId: string, options: { timeoutMs?: number; firstDelayMs?: number; maxDelayMs?: number } = {}): Promise<FlowSessionResult | null> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    let delay = options.firstDelayMs ?? 500;
    for (;;) {
      const result = await this.getResult(sessionId);
      if (result) return result;
      if (Date.now() + delay > deadline) return null;
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 4_000);
    }
  }

  /** GET liveness/video/download/: the recording of the liveness step, as the provider sends it. */
  async downloadLivenessVideo(sessionId: string): Promise<LivenessVideo> {
    const { bytes, contentType } = await this.#http.bytes({
      method: 'GET',
      path: FLOW_PATHS.video,
      query: { session_id: sessionId, flow_api_key: this.#apiKey },
      retry: 'safe',
      operation: 'GET liveness/video/download',
    });
    if (bytes.length === 0) throw KycError.unexpected('GET liveness/video/download', 'an empty body');
    return { contentType, bytes };
  }

  /** POST flows/session/{id}/report/?technology=… → the signed PDF report (needs `extra.iin` at creation). */
  async getReport(sessionId: string, technology: ReportTechnology): Promise<Uint8Array> {
    const json = await this.#http.json({
      method: 'POST',
      path: FLOW_PATHS.report(sessionId),
      query: { technology },
      body: { api_key: this.#apiKey },
      retry: 'safe',
      operation: 'POST flows/session/report',
    });
    if (!isRecord(json) || typeof json.pdf !== 'string') throw KycError.unexpected('POST flows/session/report', 'no pdf');
    const pdf = new Uint8Array(Buffer.from(json.pdf, 'base64'));
    if (Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') throw KycError.unexpected('POST flows/session/report', 'pdf is not a PDF');
    return pdf;
  }

  /** Never print the key. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, flowUrl: this.flowUrl };
  }
}
