import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

/** Route ids are UUIDs; anything else is a 400 that names the parameter. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => new AppError('VALIDATION_FAILED', `${name}: must be a UUID`) });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Keyset pagination cursors: `(created_at, id)` of the last row, opaque to clients. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && ISO_INSTANT.test(createdAt) && typeof id === 'string' && UUID.test(id)) {
      const date = new Date(createdAt);
      if (!Number.isNaN(date.getTime())) return { createdAt: date, id };
    }
  } catch {
    // fall through: not ours
  }
  throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor returned by this API');
}

/** Keyset cursors over a sequence number (an audit trail's `seq`), opaque to clients. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq })).toString('base64url');
}

export function decodeSeqCursor(cursor: string): number {
  try {
    const { seq } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { seq?: unknown };
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1) return seq;
  } catch {
    // fall through: not ours
  }
  throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor returned by this API');
}
