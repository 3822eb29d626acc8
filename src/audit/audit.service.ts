import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { AuditEvent } from './audit-event.entity.js';
import { chainHash, GENESIS_HASH, verifyChain, type AuditActor, type ChainedAuditEvent, type JsonValue } from './domain/audit-chain.js';

export interface AuditEntry {
  organisationId: string;
  envelopeId: string;
  /** What happened, dotted: `envelope.sent`, `signer.link_opened`, `provider.call`, `webhook.queued`, … */
  type: string;
  actor: AuditActor;
  ip?: string | null;
  userAgent?: string | null;
  /** Details of the event. Full values (IIN, phone) belong here: this is the legal record, not a log. */
  data?: object;
}

export interface AuditTrail {
  envelopeId: string;
  events: ChainedAuditEvent[];
  chainValid: boolean;
  /** The newest event's hash; null when the envelope has no events. */
  headHash: string | null;
  firstInvalidSeq?: number;
  invalidReason?: string;
}

const MAX_USER_AGENT = 512;
const MAX_IP = 100;
const MAX_DATA_BYTES = 64 * 1024;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends an event to the envelope's chain inside the caller's transaction, so the event exists if and only
   * if the change it records commits. Concurrent appends to one envelope are serialised by a transaction-level
   * advisory lock on the envelope id (held until the caller commits or rolls back). Needs READ COMMITTED (the
   * default): the last event is read after the lock is taken, with a fresh snapshot.
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.append must be called with the EntityManager of an open transaction');
    }
    // Stored exactly as hashed: a JSON round trip drops undefined members and turns dates into strings,
    // which is also what jsonb would give back.
    const dataText = JSON.stringify(entry.data ?? {});
    if (Buffer.byteLength(dataText) > MAX_DATA_BYTES) throw new Error(`Audit event data is larger than ${MAX_DATA_BYTES} bytes`);
    const data = JSON.parse(dataText) as { [key: string]: JsonValue };
    const actor = JSON.parse(JSON.stringify(entry.actor)) as AuditActor;

    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit_event:' || $1::text, 0))`, [entry.envelopeId]);
    const [last] = (await manager.query(`SELECT seq, hash FROM audit_event WHERE envelope_id = $1 ORDER BY seq DESC LIMIT 1`, [entry.envelopeId])) as {
      seq: number;
      hash: string;
    }[];

    const event = {
      envelopeId: entry.envelopeId,
      seq: last ? last.seq + 1 : 1,
      type: entry.type,
      actor,
      ip: entry.ip ? entry.ip.slice(0, MAX_IP) : null,
      userAgent: entry.userAgent ? entry.userAgent.slice(0, MAX_USER_AGENT) : null,
      data,
      createdAt: new Date(),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = chainHash(prevHash, { ...event, createdAt: event.createdAt.toISOString() });
    const repository = manager.getRepository(AuditEvent);
    return repository.save(repository.create({ ...event, organisationId: entry.organisationId, prevHash, hash }));
  }

  /** The envelope's trail, oldest first, with the chain recomputed. An envelope with no events here is not found. */
  async list(organisationId: string, envelopeId: string): Promise<AuditTrail> {
    const rows = await this.db.getRepository(AuditEvent).find({ where: { organisationId, envelopeId }, order: { seq: 'ASC' } });
    if (!rows.length) throw new AppError('AUDIT_TRAIL_NOT_FOUND', `No audit trail for envelope ${envelopeId}`);
    const events = rows.map(toChained);
    const verification = verifyChain(events);
    return {
      envelopeId,
      events,
      chainValid: verification.valid,
      headHash: verification.headHash,
      ...(verification.valid ? {} : { firstInvalidSeq: verification.firstInvalidSeq, invalidReason: verification.reason }),
    };
  }
}

function toChained(row: AuditEvent): ChainedAuditEvent {
  return {
    envelopeId: row.envelopeId,
    seq: row.seq,
    type: row.type,
    actor: row.actor,
    ip: row.ip,
    userAgent: row.userAgent,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
