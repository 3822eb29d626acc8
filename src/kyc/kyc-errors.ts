/**
 * The error table of the E-Document guide (004, "Errors"), one row per kind: HTTP status and the exact text.
 * The client maps answers to these kinds; the sandbox answers with exactly these texts.
 */
export const EDOCUMENT_ERRORS = {
  SUBJECT_NOT_FOUND: { status: 404, text: 'Subject not found in CMDB' },
  EDOCUMENT_CONNECT_FAILED: { status: 503, text: 'Can`t connect to e-document service' },
  EDOCUMENT_UNAVAILABLE: { status: 503, text: 'EDocument service is not available now' },
  EDOCUMENT_TIMEOUT: { status: 504, text: 'Could not send request to e-document service' },
  GOVERNMENT_SERVICE_ERROR: { status: 424, text: 'Government service error' },
  PROFILE_NOT_FOUND: { status: 404, text: 'Profile is not found' },
  INVALID_IIN: { status: 400, text: 'Invalid IIN' },
  ALREADY_RECEIVED: { status: 400, text: 'EDocument for this session has already been received' },
  NO_TECHNOLOGY_ACCESS: { status: 400, text: 'Client does not have access to E-Document technology' },
  ALREADY_REQUESTED: { status: 400, text: 'You have already requested a document for this session' },
  NOT_REQUESTED: { status: 400, text: 'You have not sent a request for access to an e-document' },
  SUBSCRIPTION_NOT_STARTED: { status: 400, text: 'Subscription has not started' },
  NO_ACTIVE_SUBSCRIPTION: { status: 400, text: 'No active or future subscription for technology' },
  NO_SUBSCRIPTION: { status: 400, text: 'Client does not have subscription' },
} as const;

/**
 * Answers the guides do not list, with the texts Kezek assumes (docs/kyc.md): an unknown key, an unknown
 * session, a wrong OTP, a report asked for without `extra.iin` or for a technology not passed, no video.
 */
export const KYC_ASSUMED_ERRORS = {
  API_KEY_NOT_FOUND: { status: 404, text: 'organization api-key not found' },
  FLOW_NOT_FOUND: { status: 404, text: 'Flow not found' },
  FLOW_SESSION_NOT_FOUND: { status: 404, text: 'Session not found' },
  FLOW_SESSION_EXPIRED: { status: 400, text: 'Session expired' },
  INVALID_CODE: { status: 400, text: 'Invalid OTP code' },
  REPORT_IIN_MISSING: { status: 400, text: 'IIN was not passed in session metadata' },
  REPORT_NOT_AVAILABLE: { status: 400, text: 'Technology has not been passed in this session' },
  VIDEO_NOT_FOUND: { status: 404, text: 'Liveness video not found' },
} as const;

export type EDocumentErrorKind = keyof typeof EDOCUMENT_ERRORS;
export type KycAssumedErrorKind = keyof typeof KYC_ASSUMED_ERRORS;
export type KycTableErrorKind = EDocumentErrorKind | KycAssumedErrorKind;

export const EDOCUMENT_ERROR_KINDS = Object.keys(EDOCUMENT_ERRORS) as EDocumentErrorKind[];

const ALL_ROWS: Record<KycTableErrorKind, { status: number; text: string }> = { ...EDOCUMENT_ERRORS, ...KYC_ASSUMED_ERRORS };
const ALL_KINDS = Object.keys(ALL_ROWS) as KycTableErrorKind[];

export function kycErrorRow(kind: KycTableErrorKind): { status: number; text: string } {
  return ALL_ROWS[kind];
}

/** The row an answer belongs to, by status and text (case-insensitive, a trailing dot ignored). */
export function kycErrorKindOf(status: number, message: string | undefined): KycTableErrorKind | undefined {
  if (!message) return undefined;
  const text = message.trim().replace(/\.$/, '').toLowerCase();
  return ALL_KINDS.find((kind) => ALL_ROWS[kind].status === status && ALL_ROWS[kind].text.toLowerCase() === text);
}
