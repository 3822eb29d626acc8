import { Organisations1795300000000 } from './1795300000000-Organisations.js';
import { Sandbox1795310000000 } from './1795310000000-Sandbox.js';
import { Envelopes1795320000000 } from './1795320000000-Envelopes.js';
import { AuditTrail1795330000000 } from './1795330000000-AuditTrail.js';
import { Webhooks1795331000000 } from './1795331000000-Webhooks.js';
import { Verification1795340000000 } from './1795340000000-Verification.js';
import { SigningRoundReservations1795350000000 } from './1795350000000-SigningRoundReservations.js';
import { Kyc1795360000000 } from './1795360000000-Kyc.js';
import { SealSandboxCaKey1795361200000 } from './1795361200000-SealSandboxCaKey.js';
import { EvidenceSeal1795361300000 } from './1795361300000-EvidenceSeal.js';
import { ConsoleUsers1795370000000 } from './1795370000000-ConsoleUsers.js';
import { Notifications1795380000000 } from './1795380000000-Notifications.js';
import { SignerIdentity1795390000000 } from './1795390000000-SignerIdentity.js';
import { Reminders1795391000000 } from './1795391000000-Reminders.js';
import { SignatureTimestamps1795392000000 } from './1795392000000-SignatureTimestamps.js';
import { FairWebhookDelivery1795393000000 } from './1795393000000-FairWebhookDelivery.js';
import { RoundCheckFailures1795394000000 } from './1795394000000-RoundCheckFailures.js';
import { RoundFinishedIndex1795395000000 } from './1795395000000-RoundFinishedIndex.js';

/** Every migration in order; listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [Organisations1795300000000, Sandbox1795310000000, Envelopes1795320000000, AuditTrail1795330000000, Webhooks1795331000000, Verification1795340000000, SigningRoundReservations1795350000000, Kyc1795360000000, SealSandboxCaKey1795361200000, EvidenceSeal1795361300000, ConsoleUsers1795370000000, Notifications1795380000000, SignerIdentity1795390000000, Reminders1795391000000, SignatureTimestamps1795392000000, FairWebhookDelivery1795393000000, RoundCheckFailures1795394000000, RoundFinishedIndex1795395000000];
