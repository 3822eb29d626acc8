/**
 * The error table of the Cloud EDS guide ("Possible errors"), one row per kind: HTTP status and the exact
 * error text. The client maps answers to these kinds; the sandbox answers with exactly these texts.
 */
export const PROVIDER_ERRORS = {
  VERIFICATION_NOT_PASSED: { status: 403, text: 'Verification not passed' },
  ORGANIZATION_NOT_FOUND: { status: 404, text: 'Organization not found' },
  API_KEY_NOT_FOUND: { status: 404, text: 'organization api-key not found' },
  SESSION_NOT_FOUND: { status: 404, text: 'Session not found' },
  LIVENESS_SESSION_NOT_FOUND: { status: 404, text: 'Liveness session not found' },
  F2F_SESSION_NOT_FOUND: { status: 404, text: 'F2F session not found' },
  SUBJECT_NOT_FOUND: { status: 404, text: 'Subject not found in MCDB' },
  CERTIFICATE_NOT_FOUND: { status: 404, text: 'Certificate not found' },
  DOCUMENTS_NOT_FOUND: { status: 404, text: 'Document file(s) not found' },
  DOCUMENT_FILES_NOT_FOUND_ON_SERVER: { status: 404, text: 'Document file(s) not found on server' },
  ACCESS_DENIED: { status: 409, text: "You don't have access to these session actions" },
  EDOCUMENT_UNAVAILABLE: { status: 409, text: 'Could not send request to edocument service' },
  SERVICE_UNAVAILABLE: { status: 503, text: 'Digital service signature is not available' },
} as const;

export type ProviderErrorKind = keyof typeof PROVIDER_ERRORS;

export const PROVIDER_ERROR_KINDS = Object.keys(PROVIDER_ERRORS) as ProviderErrorKind[];

/**
 * The table row an answer belongs to, by status and text: an exact (case-insensitive) text match first,
 * then the longest row text the message starts with (so "Document file(s) not found on server" is not
 * taken for "Document file(s) not found").
 */
export function providerErrorKindOf(status: number, message: string | undefined): ProviderErrorKind | undefined {
  if (!message) return undefined;
  const text = message.trim().replace(/\.$/, '').toLowerCase();
  const rows = PROVIDER_ERROR_KINDS.filter((kind) => PROVIDER_ERRORS[kind].status === status);
  const exact = rows.find((kind) => PROVIDER_ERRORS[kind].text.toLowerCase() === text);
  if (exact) return exact;
  const prefixed = rows
    .filter((kind) => text.startsWith(PROVIDER_ERRORS[kind].text.toLowerCase()))
    .sort((a, b) => PROVIDER_ERRORS[b].text.length - PROVIDER_ERRORS[a].text.length);
  return prefixed[0];
}
