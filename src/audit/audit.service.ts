import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { decodeSeqCursor, encodeSeqCursor, keysetPage } from '../common/http/keyset-page.js';
import { AuditEvent } from './audit-event.entity.js';
import { canonicalJsonAroundSeq, chainHash, GENESIS_HASH, verifyChain, type AuditActor, type ChainedAuditEvent, type ChainVerification, type JsonValue } from './domain/audit-chain.js';

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
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Events per page of GET /v1/envelopes/{id}/audit, unless `limit` says otherwise, and the most one page may hold. */
export const AUDIT_PAGE_DEFAULT = 500;
export const AUDIT_PAGE_MAX = 1000;

export interface AuditPageQuery {
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

const MAX_USER_AGENT = 512;
const MAX_IP = 100;
const MAX_DATA_BYTES = 64 * 1024;
const MAX_APPEND_ATTEMPTS = 50;

/**
 * $1 organisation, $2 envelope, $3 type, $4 actor, $5 ip, $6 user agent, $7 data, $8 created at, $9 the genesis
 * hash, $10/$11 the canonical JSON before/after the seq. No row back: the seq was taken meanwhile.
 */
const APPEND_SQL = `
  INSERT INTO audit_event (organisation_id, envelope_id, seq, type, actor, ip, user_agent, data, created_at, prev_hash, hash)
  SELECT $1, $2, next.seq, $3, $4::jsonb, $5, $6, $7::jsonb, $8::timestamptz, next.prev_hash,
         encode(sha256(convert_to(next.prev_hash || $10::text || next.seq::text || $11::text, 'UTF8')), 'hex')
    FROM (SELECT COALESCE(last.seq, 0) + 1 AS seq, COALESCE(last.hash, $9::text) AS prev_hash
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (SELECT seq, hash FROM audit_event WHERE envelope_id = $2 ORDER BY seq DESC LIMIT 1) AS last ON true) AS next
  ON CONFLICT ON CONSTRAINT audit_event_envelope_seq_key DO NOTHING
  RETURNING id, seq, prev_hash, hash`;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends an event to the envelope's chain inside the caller's transaction, so the event exists if and only
   * if the change it records commits. One statement numbers, links and hashes the event after the newest one
   * (`prev_hash || canonical JSON`, hashed by the database with the JSON built here around the seq). Concurrent
   * appends to one envelope meet on the unique (envelope_id, seq): the later one waits for the earlier
   * transaction, finds its seq taken once that commits, and tries again on a fresh snapshot (READ COMMITTED,
   * the default). The hash is recomputed here and must match, so the database and audit-chain.ts never drift.
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
    const content = {
      envelopeId: entry.envelopeId,
      type: entry.type,
      actor,
      ip: entry.ip ? entry.ip.slice(0, MAX_IP) : null,
      userAgent: entry.userAgent ? entry.userAgent.slice(0, MAX_USER_AGENT) : null,
      data,
      createdAt: new Date(),
    };
    const createdAt = content.createdAt.toISOString();
    const { before, after } = canonicalJsonAroundSeq({ ...content, createdAt });
    for (let attempt = 1; ; attempt++) {
      const [row] = (await manager.query(APPEND_SQL, [
        entry.organisationId,
        content.envelopeId,
        content.type,
        JSON.stringify(actor),
        content.ip,
        content.userAgent,
        dataText,
        createdAt,
        GENESIS_HASH,
        before,
        after,
      ])) as { id: string; seq: number; prev_hash: string; hash: string }[];
      if (row) {
        const event = Object.assign(new AuditEvent(), { ...content, id: row.id, organisationId: entry.organisationId, seq: row.seq, prevHash: row.prev_hash, hash: row.hash });
        if (chainHash(row.prev_hash, { ...content, seq: row.seq, createdAt }) !== row.hash) {
          throw new Error(`Audit event ${row.seq} of envelope ${entry.envelopeId} was hashed differently by the database`);
        }
        return event;
      }
      // Each retry means another transaction appended to this envelope and committed first.
      if (attempt >= MAX_APPEND_ATTEMPTS) throw new Error(`Audit event of envelope ${entry.envelopeId} not appended after ${attempt} attempts`);
    }
  }

  /**
   * One page of the envelope's trail, oldest first (keyset on seq), with the chain recomputed over the page
   * and its link to the event before it; paging through every page checks the whole chain. An envelope with
   * no events here is not found.
   */
  async list(organisationId: string, envelopeId: string, query: AuditPageQuery = {}): Promise<AuditTrail> {
    const limit = Math.min(query.limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX);
    const afterSeq = query.cursor ? decodeSeqCursor(query.cursor) : 0;
    const head = await this.head(organisationId, envelopeId);
    if (!head) throw new AppError('AUDIT_TRAIL_NOT_FOUND', `No audit trail for envelope ${envelopeId}`);
    // The event before the page anchors its first link; one more than the page tells whether another follows.
    const rows = await this.page(organisationId, envelopeId, { fromSeq: Math.max(afterSeq, 1), toSeq: head.seq, size: limit + (afterSeq ? 2 : 1) });
    const anchorRow = afterSeq && rows[0]?.seq === afterSeq ? rows.shift()! : null;
    const { items: events, nextCursor } = keysetPage(rows, limit, (last) => encodeSeqCursor(last.seq));
    const verification: ChainVerification =
      afterSeq && !anchorRow && afterSeq <= head.seq
        ? { valid: false, headHash: head.hash, firstInvalidSeq: afterSeq, reason: `seq ${afterSeq} is missing` }
        : verifyChain(events, anchorRow ? { seq: anchorRow.seq, hash: anchorRow.hash } : undefined);
    return {
      envelopeId,
      events,
      chainValid: verification.valid,
      headHash: head.hash,
      ...(verification.valid ? {} : { firstInvalidSeq: verification.firstInvalidSeq, invalidReason: verification.reason }),
      nextCursor,
    };
  }

  /** The newest event's seq and hash, or null when the envelope has no trail. */
  async head(organisationId: string, envelopeId: string): Promise<{ seq: number; hash: string } | null> {
    const row = await this.db.getRepository(AuditEvent).findOne({ select: { seq: true, hash: true }, where: { organisationId, envelopeId }, order: { seq: 'DESC' } });
    return row ? { seq: row.seq, hash: row.hash } : null;
  }

  /**
   * The trail up to `toSeq` (the head when the read began, so events appended meanwhile are left out), a page
   * at a time: one query per page, and only one page in memory.
   */
  async *pages(organisationId: string, envelopeId: string, { toSeq, pageSize = AUDIT_PAGE_MAX }: { toSeq: number; pageSize?: number }): AsyncGenerator<ChainedAuditEvent[]> {
    let fromSeq = 1;
    while (fromSeq <= toSeq) {
      const events = await this.page(organisationId, envelopeId, { fromSeq, toSeq, size: pageSize });
      if (!events.length) return;
      yield events;
      if (events.length < pageSize) return;
      fromSeq = events[events.length - 1].seq + 1;
    }
  }

  /** Events with fromSeq <= seq <= toSeq, oldest first, at most `size`. */
  async page(organisationId: string, envelopeId: string, { fromSeq, toSeq, size }: { fromSeq: number; toSeq: number; size: number }): Promise<ChainedAuditEvent[]> {
    const rows = await this.db.getRepository(AuditEvent).find({ where: { organisationId, envelopeId, seq: Between(fromSeq, toSeq) }, order: { seq: 'ASC' }, take: size });
    return rows.map(toChained);
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
