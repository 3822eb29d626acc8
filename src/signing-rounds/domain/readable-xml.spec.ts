import { readableXml } from './readable-xml.js';

describe('readable XML for the signer page', () => {
  it('puts one element per line, indented, keeping attributes and short text inline', () => {
    const { text, truncated } = readableXml('<?xml version="1.0" encoding="UTF-8"?><order id="17" xmlns:x="urn:x"><sum currency="KZT">1000</sum><x:note/><!-- c --></order>');
    expect(truncated).toBe(false);
    expect(text).toBe(['<?xml version="1.0" encoding="UTF-8"?>', '<order id="17" xmlns:x="urn:x">', '  <sum currency="KZT">1000</sum>', '  <x:note/>', '  <!-- c -->', '</order>'].join('\n'));
  });

  it('keeps markup-looking text as text: CDATA as written, entities re-encoded', () => {
    const { text } = readableXml('<a><![CDATA[<script>alert(1)</script>]]><b>&lt;i&gt;</b></a>');
    expect(text).toContain('<![CDATA[<script>alert(1)</script>]]>');
    expect(text).toContain('<b>&lt;i&gt;</b>');
  });

  it('cuts a large document and says so', () => {
    const big = `<r>${'<i>x</i>'.repeat(10_000)}</r>`;
    const { text, truncated } = readableXml(big, 1000);
    expect(truncated).toBe(true);
    expect(text.length).toBeLessThanOrEqual(1000);
  });

  it('falls back to the raw text when it does not parse', () => {
    expect(readableXml('<a><b></a>')).toEqual({ text: '<a><b></a>', truncated: false });
  });
});
