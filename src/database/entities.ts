import { ArchiveFile } from '../archives/archive-file.entity.js';
import { RoundArchive } from '../archives/round-archive.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { SignerIdentity } from '../envelopes/entities/signer-identity.entity.js';
import { IdentityCheckRow } from '../identity/identity-check.entity.js';
import { IdentityReport } from '../identity/identity-report.entity.js';
import { IdentityMedia } from '../identity/identity-media.entity.js';
import { ApiKey } from '../organisations/api-key.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { KycCredentials } from '../kyc/kyc-credentials.entity.js';
import { sandboxEntities } from '../sandbox/sandbox.entities.js';
import { sandboxKycEntities } from '../sandbox/kyc/sandbox-kyc.entities.js';
import { RoundDocument } from '../signing-rounds/round-document.entity.js';
import { SigningRound } from '../signing-rounds/signing-round.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { ConsoleSession } from '../users/console-session.entity.js';
import { OrgUser } from '../users/org-user.entity.js';
import { WebhookDeliveryAttempt } from '../webhooks/webhook-delivery-attempt.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';

/** Every TypeORM entity; a feature adds its entities here. */
export const entities = [
  Organisation,
  ApiKey,
  Envelope,
  EnvelopeDocument,
  Signer,
  SignerIdentity,
  IdentityCheckRow,
  IdentityReport,
  IdentityMedia,
  DocumentSignature,
  SigningRound,
  RoundDocument,
  RoundArchive,
  ArchiveFile,
  AuditEvent,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  KycCredentials,
  OrgUser,
  ConsoleSession,
  Notification,
  ...sandboxEntities,
  ...sandboxKycEntities,
];
