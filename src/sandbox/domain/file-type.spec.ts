import { isPdf, isWellFormedXml } from '../../common/domain/document-type.js';
import { checkContent } from './file-type.js';

describe('file type by content', () => {
  it.each([
    ['<a/>', true],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<doc a="1"><b>text &amp; more</b><!-- c --></doc>\n', true],
    ['\ufeff<doc/>', true],
    ['<doc><b></doc>', false],
    ['<doc></doc><doc/>', false],
    ['text <doc/>', false],
    ['<doc a=1/>', false],
    ['', false],
    ['%PDF-1.4', false],
  ])('xml %j → %s', (text, expected) => {
    expect(isWellFormedXml(Buffer.from(text))).toBe(expected);
  });

  it('knows a PDF by its header', () => {
    expect(isPdf(Buffer.from('%PDF-1.7\n%âãÏÓ'))).toBe(true);
    expect(isPdf(Buffer.from('<html>%PDF-1.7'))).toBe(false);
  });

  it('refuses a PDF for an xml session and XML for a pdf session', () => {
    expect(checkContent(Buffer.from('%PDF-1.7\n...'), 'xml')).toEqual({ ok: false, problem: 'wrong-type' });
    expect(checkContent(Buffer.from('<doc/>'), 'pdf')).toEqual({ ok: false, problem: 'wrong-type' });
    expect(checkContent(Buffer.from('<doc/>'), 'xml')).toMatchObject({ ok: true, cmsLevels: 0 });
  });
});
