import { encodeKeysetCursor } from '../../common/http/keyset-page.js';
import { containsPattern, csvCell, filterQuery, parseFilter } from './envelope-filter.js';

describe('console envelope filter', () => {
  it('keeps what is well formed and drops the rest', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const filter = parseFilter({ status: 'COMPLETED', q: '  lease ', from: '2026-01-01', to: '2026-13-45', sender: id.toUpperCase(), sort: 'weird', cursor: 'garbage' });
    expect(filter).toEqual({ status: 'COMPLETED', q: 'lease', from: '2026-01-01', to: null, sender: id, sort: 'created_desc', cursor: null });
    expect(parseFilter({ status: ['DRAFT'], q: 42 })).toMatchObject({ status: 'all', q: '' });
  });

  it('takes the cursor of the previous page with its microseconds, and ignores a forged one', () => {
    const cursor = { at: '2026-11-30T06:10:07.730123Z', id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
    expect(parseFilter({ cursor: encodeKeysetCursor(cursor) }).cursor).toEqual(cursor);
    expect(parseFilter({ cursor: encodeKeysetCursor({ at: 'x', id: cursor.id }) }).cursor).toBeNull();
    expect(parseFilter({ cursor: encodeKeysetCursor({ at: cursor.at, id: "1' OR 1=1" }) }).cursor).toBeNull();
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
