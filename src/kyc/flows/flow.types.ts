/** Technologies a flow is made of in the personal cabinet (001: "LD, F2F", "LD, ED, F2F", "LD, DR, F2F"). */
export const FLOW_TECHNOLOGIES = ['LD', 'F2F', 'ED', 'DR'] as const;
export type FlowTechnology = (typeof FLOW_TECHNOLOGIES)[number];

/** Technologies a signed PDF report exists for (001 §7): the liveness variants and Face2Face. */
export const REPORT_TECHNOLOGIES = ['LDHP', 'LDD2', 'LDD', 'LDPM', 'F2F'] as const;
export type ReportTechnology = (typeof REPORT_TECHNOLOGIES)[number];

/** A metadata field of the E-Document step: a value shown in the form, and whether the person may change it. */
export interface PrefilledField {
  value?: string;
  /** Default true (001 §3.2). */
  changeable?: boolean;
}

/** Session metadata (001 §3), in Kezek's spelling; the client sends the guide's field names. */
export interface FlowSessionMetadata {
  face2face?: { /** Base64 of a JPEG/PNG face photo to match against. */ photo1?: string };
  edocument?: {
    iin?: PrefilledField;
    phone?: PrefilledField;
    /** Default false. */
    skipInput?: boolean;
    /** The state document to fetch (one of 004's types); not in the guides, assumed (docs/kyc.md). */
    documentType?: string;
  };
  /** `extra.iin` makes signed reports available (001 §3.3). */
  extra?: { iin?: string };
  general?: { interchangeableTech?: string[] };
}

export interface CreatedFlowSession {
  sessionId: string;
  /** The ordered technologies of the flow, as codes (e.g. ["LDHP", "F2F"]). */
  technologies: string[];
}

export interface FlowPageOptions {
  /** Where the person is sent after the flow. */
  redirect?: string;
  locale?: 'ru' | 'en';
  /** Inside a mobile WebView: the flow ends at `<flow host>/finished` (000). */
  webView?: boolean;
}

export interface FlowTechnologyInfo {
  name: string;
  description: string;
  code: string | null;
}

export interface LivenessResult {
  result: boolean;
  prediction: number | null;
  eyeClosed: boolean | null;
  faceCenter: boolean | null;
  faceDirection: string | null;
  failureReason: { type: string; detail: string } | null;
}

export interface Face2FaceResult {
  result: boolean;
  prediction: number | null;
  predictionPercent: number | null;
}

export interface DocumentOwner {
  iin: string | null;
  firstName: string | null;
  lastName: string | null;
  middleName: string | null;
}

export interface FlowEDocumentResult {
  documentType: string | null;
  /** result_json as received. */
  resultJson: Record<string, unknown>;
  /** result_json.common.docOwner. */
  owner: DocumentOwner | null;
  facePhoto: string | null;
}

/** The result of a finished flow session (001 §5 plus the fields public integrations read, docs/kyc.md). */
export interface FlowSessionResult {
  id: string;
  technologies: FlowTechnologyInfo[];
  /** Overall verdict; null when the answer does not carry one. */
  passed: boolean | null;
  failureReasons: string[];
  liveness: LivenessResult | null;
  face2face: Face2FaceResult | null;
  edocument: FlowEDocumentResult | null;
  documentRecognition: Record<string, unknown> | null;
  /** The whole answer, for evidence (PII-minimised by the caller before it is kept). */
  raw: Record<string, unknown>;
}

export interface LivenessVideo {
  contentType: string;
  bytes: Uint8Array;
}

/** A `technology.start` / `technology.end` webhook (shape assumed, docs/kyc.md); only a hint to fetch the result. */
export interface FlowWebhookEvent {
  id: string;
  event: 'technology.start' | 'technology.end';
  sessionId: string;
  created: string | null;
  success: boolean | null;
  flowName: string | null;
  metadata: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
}
