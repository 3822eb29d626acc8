import { detectDocumentType } from './document-type.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe('detectDocumentType', () => {
  it('recognises a PDF by its header and trailer', () => expect(detectDocumentType(pdf)).toBe('pdf'));
  it('recognises well-formed XML, with or without a BOM', () => {
    expect(detectDocumentType(Buffer.from('<?xml version="1.0"?><contract><sum>10</sum></contract>'))).toBe('xml');
    expect(detectDocumentType(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a/>')]))).toBe('xml');
  });
  it.each([
    ['truncated PDF', Buffer.from('%PDF-1.7\n1 0 obj')],
    ['broken XML', Buffer.from('<contract><sum>10</contract>')],
    ['plain text', Buffer.from('hello')],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])],
    ['empty', Buffer.alloc(0)],
    ['junk before the PDF header', Buffer.concat([Buffer.from('junk'), pdf])],
    ['two XML roots', Buffer.from('<a/><b/>')],
  ])('refuses %s', (_label, bytes) => expect(detectDocumentType(bytes)).toBeUndefined());
});
