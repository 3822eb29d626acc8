import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { FailureReason, SessionStatus } from './domain/session-rules.js';
import type { SandboxFaults } from './domain/faults.js';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** An organisation of the sandbox provider: what the real provider's manager would issue an API key to. */
@Entity({ name: 'organisation', schema })
export class SandboxOrganisation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'api_key_prefix' }) apiKeyPrefix: string;
  /** SHA-256 of the whole key; the key itself is shown once. */
  @Column('bytea', { name: 'api_key_hash' }) apiKeyHash: Buffer;
  /** Kept in clear: every webhook delivery is signed with it. */
  @Column('text', { name: 'webhook_secret' }) webhookSecret: string;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl: string | null;
  /** How a CMS upload is signed: `nest` wraps it in a new SignedData, `cosign` adds a signerInfo beside the others. */
  @Column('text') mode: 'nest' | 'cosign';
  /** Return detached CMS (without the content) instead of attached. */
  @Column('boolean') detached: boolean;
  @Column('boolean') active: boolean;
  @Column('jsonb', { nullable: true }) faults: SandboxFaults | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

/** A person known to the sandbox's "state database": a registered name for an IIN. */
@Entity({ name: 'person', schema })
export class SandboxPerson {
  @PrimaryColumn('char', { length: 12 }) iin: string;
  @Column('text') surname: string;
  @Column('text', { name: 'given_name' }) givenName: string;
  @Column('text') patronymic: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

/** The sandbox CA (one row), generated on first use. Its key is a sandbox key, kept in clear. */
@Entity({ name: 'ca', schema })
export class SandboxCa {
  @PrimaryColumn('smallint') id: number;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('bytea', { name: 'private_key_pkcs8' }) privateKeyPkcs8: Buffer;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

/** A signer's certificate and key, issued by the sandbox CA once per IIN and name and reused. */
@Entity({ name: 'certificate', schema })
export class SandboxCertificate {
  @PrimaryColumn('char', { length: 12 }) iin: string;
  /** The name the certificate was issued to; a changed name gets a new certificate. */
  @Column('text', { name: 'subject_key' }) subjectKey: string;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('bytea', { name: 'private_key_pkcs8' }) privateKeyPkcs8: Buffer;
  @Column('timestamptz', { name: 'not_after' }) notAfter: Date;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

@Entity({ name: 'session', schema })
export class SandboxSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('char', { length: 12 }) iin: string;
  @Column('text') phone: string;
  @Column('text', { name: 'document_type' }) documentType: 'pdf' | 'xml';
  @Column('uuid', { name: 'check_id' }) checkId: string;
  @Column('text') status: SessionStatus;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason: FailureReason | null;
  @Column('text', { name: 'redirect_reason', nullable: true }) redirectReason: string | null;
  @Column('text', { name: 'redirect_url', nullable: true }) redirectUrl: string | null;
  @Column('text', { nullable: true }) language: string | null;
  @Column('char', { name: 'signed_as_iin', length: 12, nullable: true }) signedAsIin: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity({ name: 'document', schema })
export class SandboxDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('integer') position: number;
  @Column('text') name: string;
  /** The uploaded bytes, exactly as received (a PDF/XML, or a CMS whose innermost content is one). */
  @Column('bytea') content: Buffer;
  @Column('bytea') sha256: Buffer;
  /** DER CMS SignedData once the session is signed. */
  @Column('bytea', { nullable: true }) sign: Buffer | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One webhook event to deliver; its id is the X-Webhook-Id, the same across retries. */
@Entity({ name: 'webhook_delivery', schema })
export class SandboxWebhookDelivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'session_id' }) sessionId: string;
  @Column('text') url: string;
  @Column('text') body: string;
  @Column('text') state: 'pending' | 'delivered' | 'failed';
  @Column('integer') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('integer', { name: 'last_status', nullable: true }) lastStatus: number | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}

export const sandboxEntities = [
  SandboxOrganisation,
  SandboxPerson,
  SandboxCa,
  SandboxCertificate,
  SandboxSession,
  SandboxDocument,
  SandboxWebhookDelivery,
];
