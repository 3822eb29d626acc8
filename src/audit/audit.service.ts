import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager, type QueryRunner } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { decodeSeqCursor, encodeSeqCursor, keysetPage } from '../common/http/keyset-page.js';
import { AuditEvent } from './audit-event.entity.js';
import { type AuditEventContent, canonicalJsonAroundSeq, chainHash, GENESIS_HASH, verifyChain, type AuditActor, type ChainedAuditEvent, type ChainVerification, type JsonValue } from './domain/audit-chain.js';

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
 * The CTEs that number, link and hash one envelope's events after its newest: $1 organisation, $2 envelope,
 * $3 the events in order (type, actor, ip, user_agent, data, created_at, and the canonical JSON `before`/`after`
 * the seq), $4 the genesis hash. Each hash is `sha256(prev_hash || canonical JSON)`, the JSON built here around
 * the seq the database chose.
 */
const CHAIN_CTES = `
  input AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (type text, actor jsonb, ip text, user_agent text, data jsonb, created_at timestamptz, before text, after text))
      WITH ORDINALITY AS i(type, actor, ip, user_agent, data, created_at, before, after, n)
  ),
  newest AS (
    SELECT COALESCE(last.seq, 0) AS seq, COALESCE(last.hash, $4::text) AS hash
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT seq, hash FROM audit_event WHERE envelope_id = $2 ORDER BY seq DESC LIMIT 1) AS last ON true
  ),
  chain AS (
    SELECT i.n, newest.seq + 1 AS seq, newest.hash AS prev_hash,
           encode(sha256(convert_to(newest.hash || i.before || (newest.seq + 1)::text || i.after, 'UTF8')), 'hex') AS hash
      FROM input i, newest WHERE i.n = 1
    UNION ALL
    SELECT i.n, c.seq + 1, c.hash, encode(sha256(convert_to(c.hash || i.before || (c.seq + 1)::text || i.after, 'UTF8')), 'hex')
      FROM chain c JOIN input i ON i.n = c.n + 1
  )`;

const INSERT_CHAINED = `
  INSERT INTO audit_event (organisation_id, envelope_id, seq, type, actor, ip, user_agent, data, created_at, prev_hash, hash)
  SELECT $1, $2, c.seq, i.type, i.actor, i.ip, i.user_agent, i.data, i.created_at, c.prev_hash, c.hash
    FROM chain c JOIN input i USING (n)`;

/**
 * Inside a transaction: the events in one statement, all or none. The first claims its seq with ON CONFLICT
 * DO NOTHING (a conflict must not abort the caller's transaction); the others are inserted only when that
 * claim succeeded. Whoever holds seq n+1 (inserted, not yet committed) makes every appender that read n as the
 * newest wait on it, and none can read n+1 as the newest while it is uncommitted, so the others never
 * conflict. No row back: the seq was taken meanwhile.
 */
const APPEND_SQL = `
  WITH RECURSIVE ${CHAIN_CTES},
  claim AS (${INSERT_CHAINED} WHERE c.n = 1
    ON CONFLICT ON CONSTRAINT audit_event_envelope_seq_key DO NOTHING
    RETURNING seq, prev_hash, hash
  ),
  rest AS (${INSERT_CHAINED} WHERE c.n > 1 AND EXISTS (SELECT 1 FROM claim)
    RETURNING seq, prev_hash, hash
  )
  SELECT seq, prev_hash, hash FROM claim UNION ALL SELECT seq, prev_hash, hash FROM rest ORDER BY seq`;

/**
 * Outside a transaction: the caller's change (its CTEs) and the events that record it, in one statement,
 * the events only when the change's deciding CTE returned a row. No ON CONFLICT: another appender taking the
 * seq first fails the whole statement, the change with it, and it is tried again.
 */
function appendWithChangeSql(change: { ctes: string; decidedBy: string; select: string }): string {
  return `
  WITH RECURSIVE ${CHAIN_CTES},
  ${change.ctes},
  appended AS (${INSERT_CHAINED} WHERE EXISTS (SELECT 1 FROM ${change.decidedBy})
    RETURNING seq, prev_hash, hash
  )
  SELECT ${change.select}, (SELECT COALESCE(jsonb_agg(to_jsonb(a) ORDER BY a.seq), '[]') FROM appended a) AS appended_events`;
}

/** Postgres: unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * A change written with the events that record it (AuditService.appendWithChange). `ctes`: the caller's
 * `name AS (…)` CTEs (named other than input, newest, chain and appended), their parameters numbered from $5
 * (`params` in order); `decidedBy`: the CTE whose rows say the change happened; `select`: what the statement
 * answers (expressions over the CTEs, one row).
 */
export interface AuditedChange {
  ctes: string;
  decidedBy: string;
  select: string;
  params: unknown[];
}

/** An entry as hashed and stored: its content fixed (time included) when it was appended. */
interface PreparedEntry {
  organisationId: string;
  content: Omit<AuditEventContent, 'seq'>;
  before: string;
  after: string;
}

@Injectable()
export class AuditService {
  /** Appends held by `batch`, by the transaction's query runner. */
  private readonly held = new WeakMap<QueryRunner, PreparedEntry[]>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends an event to the envelope's chain inside the caller's transaction, so the event exists if and only
   * if the change it records commits. Inside `batch` it is held and written with the batch's other events.
   * Concurrent appends to one envelope meet on the unique (envelope_id, seq): the later one waits for the
   * earlier transaction, finds its seq taken once that commits, and tries again on a fresh snapshot (READ
   * COMMITTED, the default).
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const runner = openTransaction(manager);
    const prepared = prepare(entry);
    const held = this.held.get(runner);
    if (held) held.push(prepared);
    else await this.write(manager, [prepared]);
  }

  /**
   * Runs `work` with the events it appends through `manager` held, then writes them, in the order they were
   * appended, with one statement per envelope: a transaction that records several events costs one. Nested
   * batches belong to the outermost.
   */
  async batch<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    const runner = openTransaction(manager);
    if (this.held.has(runner)) return work();
    const held: PreparedEntry[] = [];
    this.held.set(runner, held);
    try {
      const result = await work();
      const envelopes = [...new Set(held.map((entry) => entry.content.envelopeId))];
      for (const envelopeId of envelopes) await this.write(manager, held.filter((entry) => entry.content.envelopeId === envelopeId));
      return result;
    } finally {
      this.held.delete(runner);
    }
  }

  /**
   * Outside a transaction: makes `change` and appends `entries` (of one envelope) that record it, in one
   * statement, so both happen or neither; no event when the change's deciding CTE returned no row. Answers the
   * statement's row (`change.select`). `manager`: a connection of the caller's (not in a transaction).
   */
  async appendWithChange<T extends object>(entries: AuditEntry[], change: AuditedChange, manager: EntityManager = this.db.manager): Promise<T> {
    // A failed statement inside a transaction would abort it, so the retry below needs none.
    if (manager.queryRunner?.isTransactionActive) throw new Error('AuditService.appendWithChange runs outside a transaction');
    const prepared = entries.map(prepare);
    if (new Set(prepared.map((entry) => entry.content.envelopeId)).size !== 1) throw new Error('appendWithChange takes the events of one envelope');
    const sql = appendWithChangeSql(change);
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = (await manager.query(sql, [...chainParams(prepared), ...change.params])) as (T & { appended_events: AppendedRow[] })[];
        const { appended_events: appended, ...answer } = row;
        // After the commit, unlike in a transaction: a mismatch (the SQL and audit-chain.ts drifted apart, a
        // bug) is reported here, and the trail's own verification marks that event invalid.
        if (appended.length) checkHashes(prepared, appended);
        return answer as unknown as T;
      } catch (error) {
        const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
        if (driverError?.code !== UNIQUE_VIOLATION || driverError.constraint !== 'audit_event_envelope_seq_key') throw error;
        // Another transaction appended to this envelope and committed first.
        if (attempt >= MAX_APPEND_ATTEMPTS) throw new Error(`Audit event of envelope ${prepared[0].content.envelopeId} not appended after ${attempt} attempts`, { cause: error });
      }
    }
  }

  /**
   * Writes one envelope's events with APPEND_SQL, trying again while other transactions take the seq first.
   */
  private async write(manager: EntityManager, entries: PreparedEntry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const rows = (await manager.query(APPEND_SQL, chainParams(entries))) as AppendedRow[];
      if (rows.length === entries.length) return checkHashes(entries, rows);
      if (rows.length) throw new Error(`Audit events of envelope ${entries[0].content.envelopeId}: ${rows.length} of ${entries.length} written`);
      // Each retry means another transaction appended to this envelope and committed first.
      if (attempt >= MAX_APPEND_ATTEMPTS) throw new Error(`Audit event of envelope ${entries[0].content.envelopeId} not appended after ${attempt} attempts`);
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

function openTransaction(manager: EntityManager): QueryRunner {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('AuditService.append must be called with the EntityManager of an open transaction');
  }
  return manager.queryRunner;
}

/** The event as it will be hashed and stored, its time taken now. */
function prepare(entry: AuditEntry): PreparedEntry {
  // Stored exactly as hashed: a JSON round trip drops undefined members and turns dates into strings,
  // which is also what jsonb would give back.
  const dataText = JSON.stringify(entry.data ?? {});
  if (Buffer.byteLength(dataText) > MAX_DATA_BYTES) throw new Error(`Audit event data is larger than ${MAX_DATA_BYTES} bytes`);
  const content = {
    envelopeId: entry.envelopeId,
    type: entry.type,
    actor: JSON.parse(JSON.stringify(entry.actor)) as AuditActor,
    ip: entry.ip ? entry.ip.slice(0, MAX_IP) : null,
    userAgent: entry.userAgent ? entry.userAgent.slice(0, MAX_USER_AGENT) : null,
    data: JSON.parse(dataText) as { [key: string]: JsonValue },
    createdAt: new Date().toISOString(),
  };
  return { organisationId: entry.organisationId, content, ...canonicalJsonAroundSeq(content) };
}

interface AppendedRow {
  seq: number;
  prev_hash: string;
  hash: string;
}

/** $1 to $4 of CHAIN_CTES for one envelope's events. */
function chainParams(entries: PreparedEntry[]): unknown[] {
  const [{ organisationId, content }] = entries;
  const events = entries.map((entry) => ({
    type: entry.content.type,
    actor: entry.content.actor,
    ip: entry.content.ip,
    user_agent: entry.content.userAgent,
    data: entry.content.data,
    created_at: entry.content.createdAt,
    before: entry.before,
    after: entry.after,
  }));
  return [organisationId, content.envelopeId, JSON.stringify(events), GENESIS_HASH];
}

/** The database's hashes recomputed here must match, so the database and audit-chain.ts never drift. */
function checkHashes(entries: PreparedEntry[], rows: AppendedRow[]): void {
  rows.forEach((row, i) => {
    if (chainHash(row.prev_hash, { ...entries[i].content, seq: row.seq }) !== row.hash) {
      throw new Error(`Audit event ${row.seq} of envelope ${entries[i].content.envelopeId} was hashed differently by the database`);
    }
  });
}
