import { AppError } from '../errors/app-error.js';

/*
 * Keyset pagination: the next page starts after the last row of this one, found by that row's sort key and
 * id (carried by an opaque cursor) instead of an offset, so rows added meanwhile shift nothing and every page
 * is one index range scan. The query fetches `limit + 1` rows; the extra one only says that another page follows.
 */

/** Where a page ended: the last row's sort key (an ISO 8601 UTC instant with up to microseconds) and its id. */
export interface KeysetPosition {
  at: string;
  id: string;
}

export interface KeysetPage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** Longer than any cursor this API hands out: a stranger's string is not decoded at length. */
const MAX_CURSOR_LENGTH = 200;
const NOT_OURS = 'cursor: not a cursor returned by this API';

/**
 * A timestamptz column as a cursor carries it: UTC text with PostgreSQL's microseconds. Select it beside the
 * rows when the column keeps microseconds: a JavaScript Date keeps only milliseconds, and a cursor rounded to
 * them repeats or skips the rows of that millisecond. (Columns written from a Date or declared timestamptz(3)
 * hold milliseconds only, so their Date is exact.)
 */
export function sortKeySql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The cursor after a row sorted on (`at`, `id`). Compare in SQL with `(column, id) < (CAST(at AS timestamptz), CAST(id AS uuid))`. */
export function encodeKeysetCursor(position: { at: Date | string; id: string }): string {
  const at = typeof position.at === 'string' ? position.at : position.at.toISOString();
  return Buffer.from(JSON.stringify([at, position.id])).toString('base64url');
}

/** The position a cursor of ours carries, or null for anything else (for pages that ignore a hand-edited cursor). */
export function parseKeysetCursor(cursor: unknown): KeysetPosition | null {
  if (typeof cursor !== 'string' || !cursor || cursor.length > MAX_CURSOR_LENGTH) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [at, id] = parsed as unknown[];
    if (typeof at === 'string' && ISO_INSTANT.test(at) && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && UUID.test(id)) return { at, id };
  } catch {
    // not ours
  }
  return null;
}

/** The position a cursor of ours carries; anything else is a 400 that says so. */
export function decodeKeysetCursor(cursor: string): KeysetPosition {
  const position = parseKeysetCursor(cursor);
  if (!position) throw new AppError('VALIDATION_FAILED', NOT_OURS);
  return position;
}

/** The cursor after a row of a sequence (an audit trail's `seq`). */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq })).toString('base64url');
}

/** The sequence number a seq cursor of ours carries; anything else is a 400 that says so. */
export function decodeSeqCursor(cursor: string): number {
  if (cursor.length <= MAX_CURSOR_LENGTH) {
    try {
      const { seq } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { seq?: unknown };
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1) return seq;
    } catch {
      // not ours
    }
  }
  throw new AppError('VALIDATION_FAILED', NOT_OURS);
}

/** A page from the `limit + 1` rows a keyset query fetched: the first `limit`, and the cursor after the last of them when more follow. */
export function keysetPage<T>(rows: T[], limit: number, cursorAfter: (last: T) => string): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last) : null };
}
