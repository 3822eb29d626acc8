import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type NotificationStatus = 'QUEUED' | 'SENT' | 'FAILED';

/** One message to a signer or sender: what was sent, how, and whether it arrived at the mail server. */
@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('uuid', { name: 'envelope_id' }) envelopeId: string;
  @Column('uuid', { name: 'signer_id', nullable: true }) signerId: string | null;
  @Column('text') channel: 'email' | 'sms';
  @Column('text') kind: 'signer_turn' | 'reminder' | 'completed';
  @Column('text') recipient: string;
  @Column('text') subject: string;
  @Column('text') body: string;
  @Column('text') status: NotificationStatus;
  /** `smtp`, `dev-mailbox` when no SMTP_URL is set (the console shows those messages), or `sms-gateway`. */
  @Column('text', { nullable: true }) transport: string | null;
  @Column('int') attempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  /** Set on scheduled reminders: one row per (signer, reminder number, channel), however often the job runs. */
  @Column('text', { name: 'dedupe_key', nullable: true }) dedupeKey: string | null;
}
