import { sniffContentType } from './content-type.js';

describe('sniffContentType', () => {
  it.each([
    ['%PDF-1.7\n%âãÏÓ\n', 'pdf'],
    ['\n\n%PDF-1.4 after a few bytes of junk', 'pdf'],
    ['<?xml version="1.0"?><a/>', 'xml'],
    ['\ufeff  <?xml version="1.0"?><a/>', 'xml'],
    ['<Контракт id="1"/>', 'xml'],
    ['<!-- generated --><root/>', 'xml'],
    ['<root xmlns="urn:x">', 'xml'],
    ['PK\u0003\u0004 a zip', 'unknown'],
    ['plain text < with a bracket', 'unknown'],
    ['< not a tag', 'unknown'],
    ['', 'unknown'],
  ])('%p is %s', (text, type) => {
    expect(sniffContentType(Buffer.from(text, 'utf8'))).toBe(type);
  });

  it('looks for the PDF header in the first 1024 bytes only', () => {
    expect(sniffContentType(Buffer.concat([Buffer.alloc(2000, 0x20), Buffer.from('%PDF-1.7')]))).toBe('unknown');
  });
});
