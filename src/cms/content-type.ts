export type ContentKind = 'pdf' | 'xml' | 'unknown';

/**
 * The document type, judged by content (never by a name): PDF by its `%PDF-` header (readers accept it
 * within the first 1024 bytes), XML by an optional BOM and whitespace followed by `<?xml`, a comment, or
 * an element (names may be non-ASCII: `<Контракт>`).
 */
export function sniffContentType(head: Uint8Array): ContentKind {
  const window = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1024)).toString('latin1');
  if (window.includes('%PDF-')) return 'pdf';
  let text = window;
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
  text = text.trimStart();
  if (text.startsWith('<?xml') || text.startsWith('<!--') || /^<[A-Za-z_:\u0080-\u00ff]/.test(text)) return 'xml';
  return 'unknown';
}
