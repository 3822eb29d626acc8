import fc from 'fast-check';
import { zipSync } from 'fflate';
import { PDF_SCAN_LIMITS, readCopyIdentity, scanPdfDocumentId } from '../../src/archives/domain/document-id.js';
import { safeUnzip, UnsafeArchiveError } from '../../src/archives/domain/safe-unzip.js';
import { pdfBomb } from '../../src/archives/testing/pdf-bomb.js';
import { CmsFormatError, readCertificates, verifyCmsSync } from '../../src/cms/index.js';
import { decodeCmsInput } from '../../src/cms/input.js';
import { OpensslWorkspace, pseudoPdf } from '../../src/cms/testing/openssl-vectors.js';
import { detectDocumentType, isWellFormedXml } from '../../src/common/domain/document-type.js';
import { sniffUpload } from '../../src/verification/domain/upload-kind.js';
import { publicCmsLimits } from '../../src/verification/domain/public-limits.js';
import { makePdf, makeXml } from '../support/documents.js';
import { fuzzOptions, hostileBytes, timed } from './fuzz-settings.js';

/**
 * Every parser that reads a stranger's bytes, fed random and mutated inputs: no crash (only the parser's
 * own error type, or a report), bounded work per input, bounded memory over the run. Fixed seed; more
 * inputs with `npm run fuzz`.
 *
 * Time bound per input: 5 s, for inputs of at most a few KB that the parsers handle in well under 10 ms:
 * it catches unbounded work (a bomb decoded, a loop that never ends), not speed, and leaves room for a
 * garbage collection or a busy neighbour on a shared two-core machine.
 */
const MAX_MS_PER_INPUT = 5000;

describe('fuzz: public parsers', () => {
  let ws: OpensslWorkspace;
  let cmsSamples: Buffer[];
  let anchors: ReturnType<typeof readCertificates>;
  let pdfSamples: Buffer[];
  let rssBefore: number;

  beforeAll(async () => {
    ws = new OpensslWorkspace();
    const ca = ws.createCa('ca', 'Fuzz CA');
    const signer = ws.issue(ca, 'signer', { commonName: 'ФАЗЗ ТЕСТ', iin: '900101300017' });
    const doc = ws.write('doc.pdf', pseudoPdf(1024));
    cmsSamples = [ws.sign(doc, ws.path('a.p7s'), [signer]), ws.sign(doc, ws.path('d.p7s'), [signer], { detached: true }), ws.sign(doc, ws.path('s.p7s'), [signer], { stream: true })];
    anchors = readCertificates(ca.certPem);
    pdfSamples = [await makePdf('Fuzz'), Buffer.from('%PDF-1.4\n7 0 obj\n<< /DocumentId (abc) >>\nendobj\ntrailer\n<< /Info 7 0 R >>\n%%EOF'), pdfBomb(8 * 1024 * 1024)];
    rssBefore = process.memoryUsage().rss;
  });
  afterAll(() => {
    ws?.cleanup();
    // Over the whole run: nothing kept, nothing decoded without bound.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * 1024 * 1024);
  });

  it('CMS verification (public limits) answers every input with a report', () => {
    const options = { trustAnchors: anchors, ...publicCmsLimits(1024 * 1024) };
    fc.assert(
      fc.property(hostileBytes(cmsSamples), (bytes) => {
        const { value, ms } = timed(() => verifyCmsSync(bytes, options));
        expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(value.indication);
        expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
      }),
      fuzzOptions(300),
    );
  });

  it('CMS input decoding (DER, PEM, base64) throws only its format error', () => {
    const text = cmsSamples.flatMap((b) => [Buffer.from(b.toString('base64')), Buffer.from(`-----BEGIN CMS-----\n${b.toString('base64')}\n-----END CMS-----\n`)]);
    fc.assert(
      fc.property(hostileBytes([...cmsSamples, ...text]), (bytes) => {
        try {
          decodeCmsInput(bytes, 1024 * 1024);
        } catch (error) {
          expect(error).toBeInstanceOf(CmsFormatError);
        }
        expect(() => sniffUpload(bytes, 1024 * 1024)).not.toThrow();
      }),
      fuzzOptions(300),
    );
  });

  it('the PDF scan never throws and never decodes past its budget', () => {
    fc.assert(
      fc.property(hostileBytes(pdfSamples), (bytes) => {
        const { value, ms } = timed(() => scanPdfDocumentId(bytes));
        expect(value.stats.decodedBytes).toBeLessThanOrEqual(PDF_SCAN_LIMITS.maxDecodedBytes);
        expect(value.stats.objectStreams).toBeLessThanOrEqual(PDF_SCAN_LIMITS.maxObjectStreams);
        expect(() => readCopyIdentity(bytes)).not.toThrow();
        expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
      }),
      fuzzOptions(300),
    );
  });

  it('the XML check and type detection never throw', () => {
    const xml = [makeXml(), Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'), Buffer.from('\ufeff<a><b/></a>')];
    fc.assert(
      fc.property(fc.oneof(hostileBytes(xml), fc.string({ maxLength: 512 }).map((s) => Buffer.from(`<a>${s}</a>`))), (bytes) => {
        const { ms } = timed(() => {
          isWellFormedXml(bytes);
          detectDocumentType(bytes);
        });
        expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
      }),
      fuzzOptions(300),
    );
  });

  it('the zip reader throws only UnsafeArchiveError and stays within its limits', () => {
    const zips = [zipSync({ 'a.pdf': new Uint8Array(pdfSamples[1]), 'b.xml': new Uint8Array(makeXml()) }), zipSync({ 'z.bin': new Uint8Array(2 * 1024 * 1024) }, { level: 9 })];
    const limits = { maxEntries: 16, maxTotalBytes: 4 * 1024 * 1024 };
    fc.assert(
      fc.property(hostileBytes(zips), (bytes) => {
        const { ms } = timed(() => {
          try {
            const entries = safeUnzip(bytes, limits);
            expect(entries.length).toBeLessThanOrEqual(limits.maxEntries);
            expect(entries.reduce((sum, e) => sum + e.bytes.length, 0)).toBeLessThanOrEqual(limits.maxTotalBytes);
          } catch (error) {
            expect(error).toBeInstanceOf(UnsafeArchiveError);
          }
        });
        expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
      }),
      fuzzOptions(300),
    );
  });
});
