import { type KeysetPosition, parseKeysetCursor } from '../../common/http/keyset-page.js';

/**
 * The console's envelope list filter, parsed from the query string: pure, so the rules are tested by table.
 * Anything malformed is dropped rather than refused: a hand-edited link still shows a list.
 */
export const STATUS_TABS = ['all', 'DRAFT', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED'] as const;
export type StatusTab = (typeof STATUS_TABS)[number];
export const SORTS = ['created_desc', 'created_asc', 'updated_desc'] as const;
export type Sort = (typeof SORTS)[number];

export interface EnvelopeFilter {
  status: StatusTab;
  /** Title or signer name (substring, case-insensitive) or a 12-digit IIN (exact). */
  q: string;
  /** Inclusive days, YYYY-MM-DD (UTC). */
  from: string | null;
  to: string | null;
  /** An API key id or a user id: who created the envelope. */
  sender: string | null;
  sort: Sort;
  /** Where the previous page ended; a malformed cursor is ignored (the first page). */
  cursor: KeysetPosition | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function day(value: unknown): string | null {
  const v = text(value);
  return DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : null;
}

export function parseFilter(query: Record<string, unknown>): EnvelopeFilter {
  const status = STATUS_TABS.includes(text(query.status) as StatusTab) ? (text(query.status) as StatusTab) : 'all';
  const sort = SORTS.includes(text(query.sort) as Sort) ? (text(query.sort) as Sort) : 'created_desc';
  const sender = UUID.test(text(query.sender)) ? text(query.sender).toLowerCase() : null;
  return { status, q: text(query.q).trim().slice(0, 200), from: day(query.from), to: day(query.to), sender, sort, cursor: parseKeysetCursor(query.cursor) };
}

/** The filter as query-string pairs (without the cursor unless asked), for links and the CSV export. */
export function filterQuery(filter: EnvelopeFilter, extra: Record<string, string> = {}): string {
  const pairs: [string, string][] = [];
  if (filter.status !== 'all') pairs.push(['status', filter.status]);
  if (filter.q) pairs.push(['q', filter.q]);
  if (filter.from) pairs.push(['from', filter.from]);
  if (filter.to) pairs.push(['to', filter.to]);
  if (filter.sender) pairs.push(['sender', filter.sender]);
  if (filter.sort !== 'created_desc') pairs.push(['sort', filter.sort]);
  pairs.push(...Object.entries(extra));
  return new URLSearchParams(pairs).toString();
}

/** A LIKE pattern matching `value` literally anywhere. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * get a leading apostrophe: signer names and titles come from outside. Hand-written because this is the
 * whole of what the export needs.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
