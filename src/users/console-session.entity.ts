import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in console session; the cookie carries the id, the table only its SHA-256. */
@Entity('console_session')
export class ConsoleSession {
  @PrimaryColumn('bytea', { name: 'id_hash' }) idHash: Buffer;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
}
