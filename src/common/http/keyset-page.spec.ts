import { AppError } from '../errors/app-error.js';
import { decodeKeysetCursor, decodeSeqCursor, encodeKeysetCursor, encodeSeqCursor, keysetPage, parseKeysetCursor } from './keyset-page.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusal(decode: () => unknown): AppError {
  try {
    decode();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('keyset cursors', () => {
  it('round-trip a sort key with microseconds exactly, and a Date as its ISO instant', () => {
    const at = '2026-01-01T00:00:00.123456Z';
    expect(decodeKeysetCursor(encodeKeysetCursor({ at, id: ID }))).toEqual({ at, id: ID });
    expect(decodeKeysetCursor(encodeKeysetCursor({ at: new Date(at.replace('456', '')), id: ID }))).toEqual({ at: '2026-01-01T00:00:00.123Z', id: ID });
  });

  it.each([
    ['garbage', 'garbage'],
    ['not an instant', forged(['yesterday', ID])],
    ['an instant with a zone offset', forged(['2026-01-01T00:00:00+05:00', ID])],
    ['nanoseconds', forged(['2026-01-01T00:00:00.1234567Z', ID])],
    ['an impossible date', forged(['2026-13-45T00:00:00Z', ID])],
    ['an id that is no UUID', forged(['2026-01-01T00:00:00Z', "1' OR 1=1"])],
    ['an extra element', forged(['2026-01-01T00:00:00Z', ID, 1])],
    ['an object', forged({ at: '2026-01-01T00:00:00Z', id: ID })],
    ['null', forged(null)],
    ['a very long string', encodeKeysetCursor({ at: '2026-01-01T00:00:00Z', id: ID }) + 'A'.repeat(300)],
  ])('refuse %s: a 400 VALIDATION_FAILED saying what is wrong, or nothing for pages that ignore it', (_name, cursor) => {
    const error = refusal(() => decodeKeysetCursor(cursor));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.message).toBe('cursor: not a cursor returned by this API');
    expect(parseKeysetCursor(cursor)).toBeNull();
  });

  it('ignore a cursor that is no string', () => {
    expect(parseKeysetCursor(['a'])).toBeNull();
    expect(parseKeysetCursor(undefined)).toBeNull();
  });

  it('carry a sequence number, and refuse anything else', () => {
    expect(decodeSeqCursor(encodeSeqCursor(42))).toBe(42);
    for (const cursor of ['garbage', forged({ seq: 0 }), forged({ seq: 1.5 }), forged({ seq: '3' }), forged(null), forged({ seq: 2 ** 60 })]) {
      expect(refusal(() => decodeSeqCursor(cursor)).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('keysetPage', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: i + 1 }));
  const after = (row: { seq: number }) => `after-${row.seq}`;

  it('keeps `limit` rows and points after the last when the extra row says more follow', () => {
    expect(keysetPage(rows(3), 2, after)).toEqual({ items: [{ seq: 1 }, { seq: 2 }], nextCursor: 'after-2' });
  });

  it('ends on a page that is full but has no extra row, or that is short or empty', () => {
    expect(keysetPage(rows(2), 2, after)).toEqual({ items: rows(2), nextCursor: null });
    expect(keysetPage(rows(1), 2, after)).toEqual({ items: rows(1), nextCursor: null });
    expect(keysetPage([], 2, after)).toEqual({ items: [], nextCursor: null });
  });
});
