import { CmsMergeError, mergeSignedData, verifyCms, type VerificationReport } from './index.js';
import { readTlv } from './der/der-reader.js';
import { buildOpensslFixture, pseudoPdf, type OpensslFixture } from './testing/openssl-vectors.js';
import { pkijsSign } from './testing/pkijs-cms.js';

let fx: OpensslFixture;
let ivanov: Buffer;
let petrova: Buffer;
let seitkali: Buffer;

beforeAll(() => {
  fx = buildOpensslFixture();
  const { ws, documentFile, signers } = fx;
  // A parallel group: each signer signs the same document on their own.
  ivanov = ws.sign(documentFile, ws.path('p-ivanov.p7s'), [signers.ivanov]);
  petrova = ws.sign(documentFile, ws.path('p-petrova.p7s'), [signers.petrova]);
  seitkali = ws.sign(documentFile, ws.path('p-seitkali.p7s'), [signers.seitkali], { keyid: true });
});

afterAll(() => fx?.ws.cleanup());

const signers = (report: VerificationReport) => report.signatures.map((s) => `${s.depth}.${s.index}:${s.signer?.iin}`);

function mergeError(run: () => unknown): CmsMergeError {
  try {
    run();
  } catch (error) {
    if (error instanceof CmsMergeError) return error;
    throw error;
  }
  throw new Error('expected a CmsMergeError');
}

describe('mergeSignedData', () => {
  it('merges a parallel group into one co-signed CMS that OpenSSL and Kezek verify', async () => {
    const merged = Buffer.from(mergeSignedData([ivanov, petrova, seitkali]));
    // DER: one definite-length structure, nothing after it.
    expect(readTlv(merged, 0)).toMatchObject({ indefinite: false, end: merged.length });
    expect(fx.ws.verify(fx.ws.write('merged.p7s', merged), { caFile: fx.ca.certPath })).toBe(true);
    const report = await verifyCms(merged, { trustAnchors: [fx.ca.certPem] });
    expect([report.indication, report.depth, signers(report)]).toEqual(['TOTAL_PASSED', 1, ['1.0:900101300017', '1.1:850615400705', '1.2:010517602345']]);
    // Each certificate once; SignedData version 3 because one signer uses a key identifier.
    const print = fx.ws.run(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', fx.ws.path('merged.p7s')]).toString('utf8');
    expect(print.match(/ {6}d\.certificate:/g)).toHaveLength(3);
    expect(print).toMatch(/version: 3/);
  });

  it('merges CMS from different implementations (OpenSSL and pkijs)', async () => {
    const fromPkijs = await pkijsSign(fx.document, fx.signers.petrova);
    const merged = mergeSignedData([ivanov, fromPkijs]);
    expect(fx.ws.verify(fx.ws.write('merged-mixed.p7s', Buffer.from(merged)), { caFile: fx.ca.certPath })).toBe(true);
    expect((await verifyCms(merged, { trustAnchors: [fx.ca.certPem] })).indication).toBe('TOTAL_PASSED');
  });

  it('merges detached signatures into a detached CMS', async () => {
    const { ws, documentFile, signers: s } = fx;
    const a = ws.sign(documentFile, ws.path('d-ivanov.p7s'), [s.ivanov], { detached: true });
    const b = ws.sign(documentFile, ws.path('d-petrova.p7s'), [s.petrova], { detached: true });
    const merged = Buffer.from(mergeSignedData([a, b]));
    expect(ws.verify(ws.write('merged-detached.p7s', merged), { caFile: fx.ca.certPath, contentFile: documentFile })).toBe(true);
    const report = await verifyCms(merged, { detachedContent: fx.document, trustAnchors: [fx.ca.certPem] });
    expect([report.indication, report.content.detached, signers(report)]).toEqual(['TOTAL_PASSED', true, ['1.0:900101300017', '1.1:850615400705']]);
    // One attached input makes the result attached.
    const mixed = mergeSignedData([a, petrova]);
    expect((await verifyCms(mixed, { trustAnchors: [fx.ca.certPem] })).content.detached).toBe(false);
  });

  it('merges a group that signed the previous CMS, keeping the nesting below it', async () => {
    const { ws, signers: s } = fx;
    const previous = fx.vectors.attached.layers[0].file;
    const a = ws.sign(previous, ws.path('g2-petrova.p7s'), [s.petrova]);
    const b = ws.sign(previous, ws.path('g2-seitkali.p7s'), [s.seitkali]);
    const merged = mergeSignedData([a, b]);
    const report = await verifyCms(merged, { trustAnchors: [fx.ca.certPem] });
    expect([report.indication, report.depth, signers(report)]).toEqual(['TOTAL_PASSED', 2, ['1.0:900101300017', '2.0:850615400705', '2.1:010517602345']]);
  });

  it('reads BER input and drops duplicate signerInfos', async () => {
    const merged = mergeSignedData([fx.vectors.berIndefinite.cms, fx.vectors.berIndefinite.cms, petrova]);
    expect(fx.ws.verify(fx.ws.write('merged-ber.p7s', Buffer.from(merged)), { caFile: fx.ca.certPath })).toBe(true);
    expect(signers(await verifyCms(merged))).toEqual(['1.0:900101300017', '1.1:850615400705']);
  });

  it('refuses CMS over different content', () => {
    const { ws, signers: s } = fx;
    const otherFile = ws.write('other-doc.pdf', pseudoPdf());
    const other = ws.sign(otherFile, ws.path('other.p7s'), [s.petrova]);
    expect(mergeError(() => mergeSignedData([ivanov, other])).code).toBe('CONTENT_MISMATCH');
    const otherDetached = ws.sign(otherFile, ws.path('other-d.p7s'), [s.petrova], { detached: true });
    const detached = fx.vectors.detached.cms;
    expect(mergeError(() => mergeSignedData([detached, otherDetached])).code).toBe('CONTENT_MISMATCH');
    // A detached signature over other content cannot join an attached one either.
    expect(mergeError(() => mergeSignedData([ivanov, otherDetached])).code).toBe('CONTENT_MISMATCH');
    // Nor one whose content was changed after signing.
    expect(mergeError(() => mergeSignedData([fx.vectors.tamperedContent.cms, petrova])).code).toBe('CONTENT_MISMATCH');
    // Nor a signature over the previous CMS with one over the document.
    expect(mergeError(() => mergeSignedData([ivanov, fx.vectors.nested3.cms])).code).toBe('CONTENT_MISMATCH');
  });

  it('refuses other content types, non-CMS input and an empty list', () => {
    const { ws, documentFile, signers: s } = fx;
    ws.run(['cms', '-sign', '-binary', '-md', 'sha256', '-nodetach', '-econtent_type', '1.2.840.113549.1.9.16.1.4', '-in', documentFile, '-signer', s.petrova.certPath, '-inkey', s.petrova.keyPath, '-outform', 'DER', '-out', 'tst.p7s']);
    expect(mergeError(() => mergeSignedData([ivanov, ws.read('tst.p7s')])).code).toBe('CONTENT_TYPE_MISMATCH');
    expect(mergeError(() => mergeSignedData([ivanov, fx.vectors.randomSequence.cms])).code).toBe('NOT_SIGNED_DATA');
    expect(mergeError(() => mergeSignedData([ivanov, fx.signers.petrova.certDer])).code).toBe('NOT_SIGNED_DATA');
    expect(mergeError(() => mergeSignedData([])).code).toBe('EMPTY');
  });
});
