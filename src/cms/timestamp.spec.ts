import * as pkijs from 'pkijs';
import { verifyCms, type VerificationReport } from './index.js';
import { readSignedDataLayer, contentBytes } from './signed-data.js';
import { readTstInfo } from './tst-info.js';
import { LocalTsa } from './testing/local-pki.js';
import { OpensslWorkspace, opensslDate, pseudoPdf, type TestSigner } from './testing/openssl-vectors.js';
import { embedSignatureTimestamps } from './testing/timestamp-embed.js';
import { pkijsSign } from './testing/pkijs-cms.js';
import { encodeOid, tlv } from './der/der-writer.js';

/**
 * RFC 3161 signature timestamps made by OpenSSL's TSA (`openssl ts -reply`), embedded as the
 * id-aa-signatureTimeStampToken unsigned attribute: validity is then judged at the proven genTime.
 */
let ws: OpensslWorkspace;
let ca: ReturnType<OpensslWorkspace['createCa']>;
let otherCa: ReturnType<OpensslWorkspace['createCa']>;
let tsa: LocalTsa;
let strangerTsa: LocalTsa;
let signer: TestSigner;
let shortLived: TestSigner;
const doc = pseudoPdf(4096);
const DAY = 86_400_000;

function signatureValue(cms: Uint8Array, index = 0): Uint8Array {
  return readSignedDataLayer(cms).signerInfos[index].signature;
}

function sign(who: TestSigner, options: { noAttributes?: boolean } = {}): Buffer {
  ws.write('doc.pdf', doc);
  return ws.sign('doc.pdf', `signed-${who.name}-${options.noAttributes ? 'noattr' : 'attr'}.p7s`, [who], options);
}

function stamped(cms: Buffer, by: LocalTsa = tsa): Buffer {
  return embedSignatureTimestamps(cms, 0, [by.stamp(signatureValue(cms))]);
}

const only = (report: VerificationReport) => report.signatures[0];

beforeAll(() => {
  ws = new OpensslWorkspace();
  ca = ws.createCa('ca', 'Kezek Timestamp Test CA');
  signer = ws.issue(ca, 'signer', { commonName: 'ИВАНОВ ИВАН', surname: 'ИВАНОВ', iin: '900101300126' });
  // Valid from two days ago until one hour from now: expired by the time "now" is three days on.
  shortLived = ws.issue(ca, 'short', { commonName: 'ПЕТРОВА АННА', iin: '850215400567' }, { startDate: opensslDate(new Date(Date.now() - 2 * DAY)), endDate: opensslDate(new Date(Date.now() + 3600_000)) });
  tsa = new LocalTsa(ws, ca);
  const strangers = new OpensslWorkspace();
  otherCa = strangers.createCa('ca', 'Somebody Else CA');
  strangerTsa = new LocalTsa(strangers, otherCa);
});

afterAll(() => ws?.cleanup());

describe('signature timestamps (RFC 3161)', () => {
  it('reads the TSTInfo as pkijs does', () => {
    const token = tsa.stamp(Buffer.from('any signature value'));
    const layer = readSignedDataLayer(token);
    const ours = readTstInfo(contentBytes(layer.content!));
    const theirs = pkijs.TSTInfo.fromBER(contentBytes(layer.content!));
    expect(ours.genTime.getTime()).toBe(theirs.genTime.getTime());
    expect(ours.serialHex).toBe(Buffer.from(theirs.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^(00)+(?=.)/, ''));
    expect(ours.policy).toBe(theirs.policy);
    expect(Buffer.from(ours.hashedMessage)).toEqual(Buffer.from(theirs.messageImprint.hashedMessage.valueBlock.valueHexView));
  });

  it('verifies a timestamp and reports both times, judging validity at the proven one', async () => {
    const before = Date.now();
    const report = await verifyCms(stamped(sign(signer)), { trustAnchors: [ca.certPem] });
    expect(report.indication).toBe('TOTAL_PASSED');
    const s = only(report);
    expect(s.signingTime).not.toBeNull();
    expect(s.timestamp).toMatchObject({ status: 'passed', policy: '1.2.398.3.3.99.1' });
    expect(s.timestamp!.tsa).toContain('Kezek Test TSA');
    expect(s.timestamp!.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(new Date(s.timestamp!.genTime!).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(s.validityTime).toEqual({ time: s.timestamp!.genTime, source: 'timestamp' });
  });

  it('passes a signature whose certificate expired after the genTime but before now, with the genTime', async () => {
    const cms = sign(shortLived, { noAttributes: true });
    const later = new Date(Date.now() + 3 * DAY);
    const plain = await verifyCms(cms, { trustAnchors: [ca.certPem], now: later });
    expect(plain).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    expect(only(plain).validityTime).toEqual({ time: later.toISOString(), source: 'verificationTime' });

    const report = await verifyCms(stamped(cms), { trustAnchors: [ca.certPem], now: later });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(only(report).validityTime.source).toBe('timestamp');
    expect(new Date(only(report).validityTime.time).getTime()).toBeLessThan(new Date(only(report).certificate!.notAfter).getTime());
  });

  it('prefers the proven time over a false signingTime claim', async () => {
    const claimedLate = await pkijsSign(doc, shortLived, new Date(Date.now() + 2 * DAY));
    expect(await verifyCms(claimedLate, { trustAnchors: [ca.certPem] })).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    const report = await verifyCms(stamped(claimedLate), { trustAnchors: [ca.certPem] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(only(report).validityTime.source).toBe('timestamp');
    expect(only(report).signingTime).not.toBe(only(report).validityTime.time);
  });

  it('refuses a token over another signature value', async () => {
    const cms = sign(signer);
    const report = await verifyCms(embedSignatureTimestamps(cms, 0, [tsa.stamp(Buffer.from('a different signature'))]), { trustAnchors: [ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TIMESTAMP_FAILURE' });
    expect(only(report).timestamp).toMatchObject({ status: 'failed' });
    expect(only(report).message).toContain('messageImprint is not the hash of this signature value');
    expect(only(report).validityTime.source).toBe('signingTime');
  });

  it('refuses a token from a TSA that does not chain to the anchors', async () => {
    const report = await verifyCms(stamped(sign(signer), strangerTsa), { trustAnchors: [ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TIMESTAMP_FAILURE' });
    expect(only(report).message).toContain('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('refuses a token signed by a certificate without the timeStamping purpose', async () => {
    // The signer's own certificate (no extendedKeyUsage) signs a TSTInfo copied from a real token.
    const cms = sign(signer);
    const real = readSignedDataLayer(tsa.stamp(signatureValue(cms)));
    ws.write('tst.der', contentBytes(real.content!));
    ws.run(['cms', '-sign', '-binary', '-nodetach', '-in', 'tst.der', '-econtent_type', '1.2.840.113549.1.9.16.1.4', '-signer', signer.certPath, '-inkey', signer.keyPath, '-outform', 'DER', '-out', 'fake.tok']);
    const forged = embedSignatureTimestamps(cms, 0, [ws.read('fake.tok')]);
    const report = await verifyCms(forged, { trustAnchors: [ca.certPem] });
    expect(report.indication).toBe('INDETERMINATE');
    expect(only(report).message).toContain('extendedKeyUsage lacks 1.3.6.1.5.5.7.3.8');
  });

  it.each([
    ['garbage in the token', () => tlv(0x30, Buffer.from('not a token at all'))],
    ['a SignedData that is not a timestamp', () => sign(signer)],
    // The token's outer SEQUENCE kept whole, its contents cut short.
    ['a truncated token', () => tlv(0x30, tsa.stamp(Buffer.from('x')).subarray(4, 200))],
  ])('answers INDETERMINATE with a message for %s, never a crash or a pass', async (_name, token) => {
    const bytes = embedSignatureTimestamps(sign(signer), 0, [token()]);
    const report = await verifyCms(bytes, { trustAnchors: [ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TIMESTAMP_FAILURE' });
    expect(only(report).timestamp?.message).toMatch(/^the signature timestamp does not verify: /);
    expect(only(report).checks.signature).toBe('passed');
  });

  it('answers INDETERMINATE when the unsigned attributes themselves are broken', async () => {
    const broken = tlv(0xa1, tlv(0x30, encodeOid('1.2.840.113549.1.9.16.2.14'), Buffer.from([0x04, 0x01, 0x00])));
    const report = await verifyCms(embedSignatureTimestamps(sign(signer), 0, [], broken), { trustAnchors: [ca.certPem] });
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TIMESTAMP_FAILURE' });
    expect(only(report).timestamp?.status).toBe('failed');
  });
});
