import { AppError } from '../../common/errors/app-error.js';

/** An uploaded file as multer hands it over. */
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => (typeof v === 'string' ? v.trim() : ''));

/**
 * A signer row's identity choice (`liveness,edocument,face2face`…) as the API's `identity`. The console has no
 * photo upload, so a face match is always against the E-Document photo; the API validates the rest.
 */
function identityOf(checks: string, documentType: string | undefined): Record<string, unknown> {
  const list = checks.split(',').map((c) => c.trim()).filter(Boolean);
  return { checks: list, ...(list.includes('edocument') ? { edocumentType: documentType || 'identity_card' } : {}) };
}

/**
 * The console's "new envelope" form as the API's envelope fields: signer rows left empty are skipped, the
 * expiry day becomes the end of that day (UTC). Validation of the result is the API's own (EnvelopeFieldsDto).
 */
export function formToEnvelope(body: Record<string, unknown>, files: UploadedFile[]): { fields: Record<string, unknown>; documents: { name: string; bytes: Buffer }[] } {
  const names = list(body.signerName);
  const iins = list(body.signerIin);
  const phones = list(body.signerPhone);
  const orders = list(body.signerOrder);
  const emails = list(body.signerEmail);
  const identities = list(body.signerIdentity);
  const documentTypes = list(body.signerEdocumentType);
  const signers = names
    .map((fullName, i) => ({
      fullName,
      iin: iins[i] ?? '',
      phone: phones[i] ?? '',
      ...(emails[i] ? { email: emails[i] } : {}),
      routingOrder: orders[i] ? Number(orders[i]) : undefined,
      ...(identities[i] ? { identity: identityOf(identities[i], documentTypes[i]) } : {}),
    }))
    .filter((s) => s.fullName || s.iin || s.phone);
  if (!files.length) throw new AppError('VALIDATION_FAILED', 'files: choose at least one PDF or XML document');
  const documents = files.map((file, index) => {
    const name = file.originalname.trim();
    if (name.length < 1 || name.length > 200) throw new AppError('VALIDATION_FAILED', `files[${index}]: the file name must be 1 to 200 characters`);
    return { name, bytes: file.buffer };
  });
  const expiresOn = typeof body.expiresOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.expiresOn) ? `${body.expiresOn}T23:59:59.000Z` : undefined;
  const redirectUrl = typeof body.redirectUrl === 'string' && body.redirectUrl.trim() ? body.redirectUrl.trim() : undefined;
  const language = typeof body.language === 'string' && body.language ? body.language : undefined;
  const reminderIntervalDays = typeof body.reminderIntervalDays === 'string' && body.reminderIntervalDays.trim() ? Number(body.reminderIntervalDays) : undefined;
  const senderEmail = typeof body.senderEmail === 'string' && body.senderEmail.trim() ? body.senderEmail.trim() : undefined;
  return {
    fields: {
      title: typeof body.title === 'string' ? body.title.trim() : '',
      signers,
      options: {
        ...(expiresOn ? { expiresAt: expiresOn } : {}),
        ...(language ? { language } : {}),
        ...(redirectUrl ? { redirectUrl } : {}),
        ...(reminderIntervalDays !== undefined ? { reminderIntervalDays } : {}),
        ...(senderEmail ? { senderEmail } : {}),
      },
      send: body.send === 'true',
    },
    documents,
  };
}
