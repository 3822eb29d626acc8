import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, kept free of the framework and the database so that an offline verifier
 * (`kezek verify-evidence`) checks an exported trail with exactly the code the service used to write it.
 *
 * For each event of an envelope, in seq order starting at 1:
 *   hash = hex(sha256(utf8(prevHash + canonicalJson(canonicalAuditEvent(event)))))
 * where prevHash is the previous event's hash (64 lowercase hex characters) and GENESIS_HASH for seq 1.
 */

/** prevHash of an envelope's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditActorKind = 'api' | 'user' | 'signer' | 'provider' | 'system';

/** Who caused an event: an API caller (id: API key id), a console user (id: user id), a signer (id: signer id), the provider, or Kezek itself. */
export interface AuditActor {
  kind: AuditActorKind;
  id?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The hashed content of an event: everything but its own hashes, the row id and the organisation. */
export interface AuditEventContent {
  envelopeId: string;
  seq: number;
  type: string;
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
  data: { [key: string]: JsonValue };
  /** ISO 8601 with milliseconds, UTC (`Date.prototype.toISOString`). */
  createdAt: string;
}

export interface ChainedAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does), no whitespace, and numbers and
 * strings serialised as ECMAScript does. Undefined object members are left out, as JSON.stringify does;
 * anything JSON cannot carry exactly (non-finite numbers, bigint, functions, symbols) is refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** Exactly the fields that are hashed, with absent ip/user agent as null. */
export function canonicalAuditEvent(event: AuditEventContent): AuditEventContent {
  return {
    envelopeId: event.envelopeId,
    seq: event.seq,
    type: event.type,
    actor: event.actor,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    data: event.data ?? {},
    createdAt: event.createdAt,
  };
}

/**
 * The event's canonical JSON split around its seq: `before + String(seq) + after` is exactly
 * `canonicalJson(canonicalAuditEvent(event))` for any positive integer seq. Lets the database number and
 * chain an event in the statement that inserts it (see AuditService.append).
 */
export function canonicalJsonAroundSeq(event: Omit<AuditEventContent, 'seq'>): { before: string; after: string } {
  const record = canonicalAuditEvent({ ...event, seq: 0 }) as unknown as Record<string, unknown>;
  const member = (key: string) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  const at = keys.indexOf('seq');
  return {
    before: `{${[...keys.slice(0, at).map(member), '"seq":'].join(',')}`,
    after: `${keys.slice(at + 1).map((key) => `,${member(key)}`).join('')}}`,
  };
}

export function chainHash(prevHash: string, event: AuditEventContent): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(canonicalAuditEvent(event)), 'utf8')
    .digest('hex');
}

export interface ChainVerification {
  valid: boolean;
  /** The last event's stored hash (what an external anchor would record), null for an empty trail. */
  headHash: string | null;
  /** The seq at which the chain first breaks: the position's expected seq when events are missing or out of order. */
  firstInvalidSeq?: number;
  reason?: string;
}

/** Where a run of events continues the chain: the seq and hash of the event before it (0 and GENESIS_HASH for the start). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/**
 * Recomputes the chain over events in the order given (an exported trail's order is part of what is
 * checked). Detects altered content, altered or removed events in the middle, reordering and events of
 * another envelope. Removing the newest events leaves a valid shorter chain: only a head hash kept elsewhere
 * (evidence pack, webhook) shows that.
 */
export function verifyChain(events: readonly ChainedAuditEvent[], after: ChainAnchor = { seq: 0, hash: GENESIS_HASH }): ChainVerification {
  const headHash = events.length ? events[events.length - 1].hash : null;
  let prevHash = after.hash;
  for (const [index, event] of events.entries()) {
    const expectedSeq = after.seq + index + 1;
    const broken = (reason: string): ChainVerification => ({ valid: false, headHash, firstInvalidSeq: expectedSeq, reason });
    if (event.seq !== expectedSeq) return broken(`expected seq ${expectedSeq}, found ${event.seq}`);
    if (event.envelopeId !== events[0].envelopeId) return broken(`seq ${expectedSeq} belongs to another envelope`);
    if (event.prevHash !== prevHash) return broken(`seq ${expectedSeq} does not link to the previous event's hash`);
    if (chainHash(prevHash, event) !== event.hash) return broken(`seq ${expectedSeq} does not match its hash`);
    prevHash = event.hash;
  }
  return { valid: true, headHash };
}
