import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { KycFaults } from './domain/kyc-faults.js';
import type { StepResult } from './domain/flow-steps.js';

const schema = 'sandbox';

/** A client of the identity products: what the provider's cabinet shows as an organisation with a Backend Api Key. */
@Entity({ name: 'kyc_client', schema })
export class SandboxKycClient {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'backend_key_prefix' }) backendKeyPrefix: string;
  @Column('bytea', { name: 'backend_key_hash' }) backendKeyHash: Buffer;
  @Column('text', { name: 'backend_key_sealed' }) backendKeySealed: string;
  @Column('jsonb', { nullable: true }) faults: KycFaults | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

/** A flow of the cabinet: its ordered technologies and its API KEY (hashed). */
@Entity({ name: 'kyc_flow', schema })
export class SandboxKycFlow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'client_id' }) clientId: string;
  @Column('text') name: string;
  @Column('text', { array: true }) technologies: string[];
  @Column('text', { name: 'api_key_prefix' }) apiKeyPrefix: string;
  @Column('bytea', { name: 'api_key_hash' }) apiKeyHash: Buffer;
  /** Where technology.start / technology.end webhooks go (the cabinet's setting); none when null. */
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

/** One person's pass through a flow: at most 10 minutes (guide 002). */
@Entity({ name: 'kyc_flow_session', schema })
export class SandboxKycFlowSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'flow_id' }) flowId: string;
  /** Codes as the API returns them (LD is the LDHP liveness variant). */
  @Column('text', { array: true }) technologies: string[];
  /** The session metadata without photo1 (kept apart, as bytes). */
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('bytea', { nullable: true }) photo1: Buffer | null;
  @Column('text') status: 'STARTED' | 'FINISHED';
  /** Index of the technology the person is at. */
  @Column('integer') step: number;
  @Column('jsonb') results: StepResult[];
  /** The E-Document received inside the flow: its type, owner IIN and phone. */
  @Column('jsonb', { nullable: true }) edocument: { documentType: string; iin: string; phone: string } | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}

/** An E-Document request: the OTP "sent from 1414" (kept so the inbox page can show it) and whether it was used. */
@Entity({ name: 'kyc_edocument_request', schema })
export class SandboxEDocumentRequest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'client_id' }) clientId: string;
  @Column('uuid', { name: 'flow_session_id', nullable: true }) flowSessionId: string | null;
  @Column('text', { name: 'document_type' }) documentType: string;
  @Column('char', { length: 12 }) iin: string;
  @Column('text') phone: string;
  @Column('text') code: string;
  @Column('text') status: 'REQUESTED' | 'RECEIVED';
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'received_at', nullable: true }) receivedAt: Date | null;
}

/** The key the sandbox signs PDF reports with, certified by the sandbox CA. */
@Entity({ name: 'kyc_report_signer', schema })
export class SandboxKycReportSigner {
  @PrimaryColumn('smallint') id: number;
  @Column('bytea', { name: 'certificate_der' }) certificateDer: Buffer;
  @Column('bytea', { name: 'private_key_pkcs8' }) privateKeyPkcs8: Buffer;
}

export const sandboxKycEntities = [SandboxKycClient, SandboxKycFlow, SandboxKycFlowSession, SandboxEDocumentRequest, SandboxKycReportSigner];
