import { containsPattern, csvCell, decodeCursor, encodeCursor, filterQuery, parseFilter } from './envelope-filter.js';

describe('console envelope filter', () => {
  it('keeps what is well formed and drops the rest', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const filter = parseFilter({ status: 'COMPLETED', q: '  lease ', from: '2026-01-01', to: '2026-13-45', sender: id.toUpperCase(), sort: 'weird', cursor: 'garbage' });
    expect(filter).toEqual({ status: 'COMPLETED', q: 'lease', from: '2026-01-01', to: null, sender: id, sort: 'created_desc', cursor: null });
    expect(parseFilter({ status: ['DRAFT'], q: 42 })).toMatchObject({ status: 'all', q: '' });
  });

  it('round-trips a cursor and refuses a forged one', () => {
    const cursor = { at: '2026-11-30T06:10:07.730123Z', id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(Buffer.from(JSON.stringify({ at: 'x', id: cursor.id })).toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ at: cursor.at, id: "1' OR 1=1" })).toString('base64url'))).toBeNull();
  });

  it('writes the filter back as a query string', () => {
    expect(filterQuery(parseFilter({ status: 'DRAFT', q: 'a&b' }), { cursor: 'c' })).toBe('status=DRAFT&q=a%26b&cursor=c');
    expect(filterQuery(parseFilter({}))).toBe('');
  });

  it('matches LIKE wildcards literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+7 701', "'+7 701"],
    [null, ''],
  ])('CSV cell %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
