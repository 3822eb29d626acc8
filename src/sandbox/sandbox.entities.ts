import { SandboxOrganisation } from './sandbox-organisation.entity.js';
import { SandboxPerson } from './sandbox-person.entity.js';
import { SandboxCa } from './sandbox-ca.entity.js';
import { SandboxCertificate } from './sandbox-certificate.entity.js';
import { SandboxSession } from './sandbox-session.entity.js';
import { SandboxDocument } from './sandbox-document.entity.js';
import { SandboxWebhookDelivery } from './sandbox-webhook-delivery.entity.js';

export { SandboxOrganisation } from './sandbox-organisation.entity.js';
export { SandboxPerson } from './sandbox-person.entity.js';
export { SandboxCa } from './sandbox-ca.entity.js';
export { SandboxCertificate } from './sandbox-certificate.entity.js';
export { SandboxSession } from './sandbox-session.entity.js';
export { SandboxDocument } from './sandbox-document.entity.js';
export { SandboxWebhookDelivery } from './sandbox-webhook-delivery.entity.js';

/** Every entity of the sandbox (schema `sandbox`). */
export const sandboxEntities = [
  SandboxOrganisation,
  SandboxPerson,
  SandboxCa,
  SandboxCertificate,
  SandboxSession,
  SandboxDocument,
  SandboxWebhookDelivery,
];
