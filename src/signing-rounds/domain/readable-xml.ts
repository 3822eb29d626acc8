import { SaxesParser } from 'saxes';

/** How much of an XML document the signer's page shows inline; the download always has all of it. */
export const XML_PREVIEW_MAX_CHARS = 200_000;

/**
 * The XML as a person reads it: one element per line, indented by depth, attributes kept as written,
 * text trimmed. Returns the text unchanged when it does not parse (it was checked at intake, so this is
 * only a fallback) and cuts at `maxChars`, saying so in `truncated`. The caller escapes the result.
 */
export function readableXml(source: string, maxChars = XML_PREVIEW_MAX_CHARS): { text: string; truncated: boolean } {
  const lines: string[] = [];
  let size = 0;
  let depth = 0;
  let openTagPending: string | null = null;
  let full = false;
  const push = (line: string) => {
    if (full) return;
    size += line.length + 1;
    if (size > maxChars) {
      full = true;
      return;
    }
    lines.push(line);
  };
  const flushOpen = () => {
    if (openTagPending !== null) push(openTagPending);
    openTagPending = null;
  };
  const pad = () => '  '.repeat(depth);
  const parser = new SaxesParser({ xmlns: false });
  try {
    parser.on('xmldecl', (decl) => push(`<?xml${decl.version ? ` version="${decl.version}"` : ''}${decl.encoding ? ` encoding="${decl.encoding}"` : ''}?>`));
    parser.on('opentag', (tag) => {
      flushOpen();
      const attributes = Object.entries(tag.attributes as Record<string, string>)
        .map(([name, value]) => ` ${name}="${value.replace(/"/g, '&quot;')}"`)
        .join('');
      const text = `${pad()}<${tag.name}${attributes}${tag.isSelfClosing ? '/>' : '>'}`;
      if (tag.isSelfClosing) push(text);
      else {
        openTagPending = text;
        depth++;
      }
    });
    parser.on('text', (text) => {
      // Re-encoded as XML, so text that looks like markup is not mistaken for an element.
      const trimmed = text.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      if (!trimmed) return;
      if (openTagPending !== null) {
        // `<a>text</a>` stays on one line when the text is short and single-line.
        openTagPending += trimmed.replace(/\s*\n\s*/g, ' ');
        return;
      }
      push(`${pad()}${trimmed}`);
    });
    parser.on('cdata', (cdata) => {
      flushOpen();
      push(`${pad()}<![CDATA[${cdata}]]>`);
    });
    parser.on('comment', (comment) => {
      flushOpen();
      push(`${pad()}<!--${comment}-->`);
    });
    parser.on('closetag', (tag) => {
      if (tag.isSelfClosing) return;
      depth--;
      if (openTagPending !== null) {
        push(`${openTagPending}</${tag.name}>`);
        openTagPending = null;
        return;
      }
      push(`${pad()}</${tag.name}>`);
    });
    parser.write(source).close();
  } catch {
    return { text: source.slice(0, maxChars), truncated: source.length > maxChars };
  }
  flushOpen();
  return { text: lines.join('\n'), truncated: full };
}
