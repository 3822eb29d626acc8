/**
 * The technologies of a sandbox flow, what the person can choose at each, and the result JSON the API gives
 * once the flow is over. Pure: no Nest, no database.
 */

/** Cabinet technology → the code the API returns (the guide's example flow "LD, F2F" answers ["LDHP", "F2F"]). */
export const API_CODE: Record<string, string> = { LD: 'LDHP', F2F: 'F2F', ED: 'ED', DR: 'DR' };

export const TECHNOLOGY_INFO: Record<string, { name: string; description: string }> = {
  LDHP: { name: 'Liveness', description: "Determining a person's liveliness by their face" },
  F2F: { name: 'Face2Face', description: 'Determining the similarity of two faces from a photo' },
  ED: { name: 'E-Document', description: 'Receiving an electronic document from the state database' },
  DR: { name: 'Document Recognition', description: 'Parse document data from image' },
};

/** Failure reasons the person can pick on the sandbox page, per technology (`failure_reason.type`). */
export const FAILURE_REASONS: Record<string, readonly string[]> = {
  LDHP: ['NO_CAMERA', 'FACE_NOT_FOUND', 'SPOOFING', 'EYES_CLOSED', 'FACE_NOT_CENTERED', 'TIMEOUT'],
  F2F: ['FACE_MISMATCH', 'FACE_NOT_FOUND', 'NO_REFERENCE_PHOTO'],
  ED: ['OTP_NOT_CONFIRMED', 'DOCUMENT_NOT_FOUND'],
  DR: ['DOCUMENT_NOT_RECOGNIZED', 'POOR_IMAGE_QUALITY'],
};

/** The overall failure reason per technology, as the Cloud EDS guide names them (LIVENESS/FACE2FACE/EDOCUMENT). */
const FLOW_FAILURE: Record<string, string> = { LDHP: 'LIVENESS', F2F: 'FACE2FACE', ED: 'EDOCUMENT', DR: 'DOCUMENT_RECOGNITION' };

export interface StepResult {
  code: string;
  passed: boolean;
  /** Similarity or liveness score 0..1. */
  prediction: number;
  failureReason: { type: string; detail: string } | null;
  /** Face2Face: what the face was compared with. */
  reference?: 'photo1' | 'edocument' | null;
  at: string;
}

export function apiCodes(technologies: readonly string[]): string[] {
  return technologies.map((t) => API_CODE[t] ?? t);
}

export function isFailureReason(code: string, reason: unknown): reason is string {
  return typeof reason === 'string' && (FAILURE_REASONS[code] ?? []).includes(reason);
}

/** A pass or a fail of one technology, with plausible scores. */
export function stepResult(code: string, passed: boolean, reason: string | null, at: Date, reference?: 'photo1' | 'edocument' | null): StepResult {
  const detail = reason ? reason.toLowerCase().replaceAll('_', ' ') : '';
  return {
    code,
    passed,
    prediction: passed ? (code === 'F2F' ? 0.973 : 0.991) : code === 'F2F' ? 0.214 : 0.132,
    failureReason: passed ? null : { type: reason ?? 'OTHER', detail },
    ...(code === 'F2F' ? { reference: reference ?? null } : {}),
    at: at.toISOString(),
  };
}

export interface FlowResultInput {
  id: string;
  technologies: readonly string[];
  results: readonly StepResult[];
  finished: boolean;
  expired: boolean;
  /** The E-Document received in the flow (its approve answer), when ED passed. */
  edocument?: Record<string, unknown> | null;
  documentRecognition?: Record<string, unknown> | null;
}

/**
 * The result API's answer. `{}` while the flow is not over (as the real API answers for a while);
 * a session that expired unfinished is over with the reason EXPIRED.
 */
export function flowResultJson(input: FlowResultInput): Record<string, unknown> {
  if (!input.finished && !input.expired) return {};
  const failed = input.results.filter((r) => !r.passed);
  const complete = input.results.length === input.technologies.length;
  const reasons = failed.map((r) => FLOW_FAILURE[r.code] ?? 'OTHER');
  if (!complete && failed.length === 0) reasons.push('EXPIRED');
  const json: Record<string, unknown> = {
    id: input.id,
    technologies: input.technologies.map((code) => ({ ...(TECHNOLOGY_INFO[code] ?? { name: code, description: '' }), code })),
    flow_session_result: complete && failed.length === 0,
    flow_session_failure_reasons: reasons,
  };
  for (const result of input.results) {
    if (result.code === 'LDHP') {
      json.liveness_result = {
        result: result.passed,
        prediction: result.prediction,
        eye_closed: result.failureReason?.type === 'EYES_CLOSED',
        face_center: result.failureReason?.type !== 'FACE_NOT_CENTERED',
        face_direction: 'straight',
        failure_reason: result.failureReason,
      };
    } else if (result.code === 'F2F') {
      json.face2face_result = { result: result.passed, prediction: result.prediction, prediction_percent: Math.round(result.prediction * 1000) / 10 };
    } else if (result.code === 'ED' && result.passed && input.edocument) {
      json.edocument_result = input.edocument;
    } else if (result.code === 'DR' && result.passed && input.documentRecognition) {
      json.document_recognition_result = input.documentRecognition;
    }
  }
  return json;
}
