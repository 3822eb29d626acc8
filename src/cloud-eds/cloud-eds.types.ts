import type { DocumentType } from '../common/domain/document-type.js';
import type { Language } from '../common/domain/language.js';

/** Types of the Cloud EDS API as the guide (003) describes it. */
export type { DocumentType };
/** The sign page's `language` parameter. */
export type SignLanguage = Language;

export const SESSION_STATUSES = ['STARTED', 'PROCESS', 'FINISHED', 'CANCELED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** failure_reason values of the status API. */
export const FAILURE_REASONS = ['EXPIRED', 'LIVENESS', 'FACE2FACE', 'EDOCUMENT', 'OTHER'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Redirect reasons of the sign page ("Actions after session termination"). */
export const REDIRECT_REASONS = [
  'refresh', 'f2f', 'lv', 'closed', 'lv-unavailable', 'password', 'otp', 'request', 'reissue', 'certificate',
  'password-otp', 'accept-certificate', 'sign-doc', 'video',
] as const;
export type RedirectReason = (typeof REDIRECT_REASONS)[number];

export interface CreateSessionRequest {
  iin: string;
  /** 77********* */
  phone: string;
  /** Default pdf. */
  documentType?: DocumentType;
}

export interface CreatedSession {
  sessionId: string;
  /** As sent by the provider (ISO-like text). */
  createdAt: string;
  checkId: string;
}

export interface UploadDocumentRequest {
  sessionId: string;
  /** Displayed file name. */
  name: string;
  file: Uint8Array;
}

export interface UploadedDocument {
  id: string;
  name: string;
  /** Base64 DER CMS; null right after upload. */
  sign: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SignUrlRequest {
  sessionId: string;
  redirectUrl: string;
  language: SignLanguage;
  /** The guide's examples use theme=0. */
  theme?: string | number;
}

export interface SessionResultDocument {
  id: string;
  name: string;
  /** Base64 DER CMS SignedData, or null when not signed. */
  sign: string | null;
}

export interface SessionResult {
  sessionId: string;
  docs: SessionResultDocument[];
}

export interface SessionStatusResult {
  sessionId: string;
  status: SessionStatus;
  failureReason: FailureReason | null;
}

export interface ArchiveDocument {
  id: string | null;
  name: string;
  content: Uint8Array;
}

/** What the sign page appends to redirect_url: `status=true&reason=None` or `status=False&reason=<code>`. */
export interface SignRedirectOutcome {
  success: boolean;
  reason: RedirectReason | string | null;
}
