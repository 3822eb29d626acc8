import { verifyCms, RevocationChecker, type PkiHttpPort, type RevocationPolicy, type VerificationReport } from '../index.js';
import { readSignedDataLayer } from '../signed-data.js';
import { freePort, LocalFiles, LocalOcspResponder, LocalTsa } from '../testing/local-pki.js';
import { OpensslWorkspace, pseudoPdf, type TestSigner } from '../testing/openssl-vectors.js';
import { embedSignatureTimestamps } from '../testing/timestamp-embed.js';
import { PkiHttp } from '../../trust/pki-http.js';

/**
 * Revocation against OpenSSL's own OCSP responder (`openssl ocsp -index`, started here on a free loopback
 * port) and CRLs made by `openssl ca -gencrl`, served over real HTTP. Certificates name the responder and
 * the CRL in their authorityInfoAccess and cRLDistributionPoints, as NCA's do.
 */
let ws: OpensslWorkspace;
let ca: ReturnType<OpensslWorkspace['createCa']>;
let responder: LocalOcspResponder;
let files: LocalFiles;
let tsa: LocalTsa;
let filesUrl: string;
const signers: Record<'good' | 'revoked' | 'revokedLater' | 'unknown' | 'crlGood' | 'crlRevoked' | 'brokenOcsp' | 'brokenCrl' | 'replayed' | 'nowhere', TestSigner> = {} as never;
const doc = pseudoPdf(2048);
let requests: string[] = [];

/** The real HTTP adapter, counting what it is asked. */
class CountingHttp implements PkiHttpPort {
  private readonly http = new PkiHttp(3000);
  get(url: string, maxBytes: number) {
    requests.push(`GET ${url}`);
    return this.http.get(url, maxBytes);
  }
  post(url: string, contentType: string, body: Uint8Array, maxBytes: number) {
    requests.push(`POST ${url}`);
    return this.http.post(url, contentType, body, maxBytes);
  }
}

const checker = () => new RevocationChecker({ http: new CountingHttp() });

function sign(who: TestSigner): Buffer {
  ws.write('doc.pdf', doc);
  return ws.sign('doc.pdf', `${who.name}.p7s`, [who]);
}

async function verify(who: TestSigner, policy: RevocationPolicy, options: { check?: RevocationChecker; cms?: Buffer } = {}): Promise<VerificationReport> {
  return verifyCms(options.cms ?? sign(who), { trustAnchors: [ca.certPem], revocation: { policy, checker: options.check ?? checker() } });
}

/** openssl's index line for a serial, with its revocation date replaced (YYMMDDHHMMSSZ). */
function setRevocationDate(serialHex: string, date: Date): void {
  const stamp = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const lines = ws.read('ca.index').toString('utf8').split('\n').map((line) => {
    const fields = line.split('\t');
    if (fields[3]?.toLowerCase() !== serialHex.toLowerCase()) return line;
    fields[2] = stamp;
    return fields.join('\t');
  });
  ws.write('ca.index', lines.join('\n'));
}

function serialOf(who: TestSigner): string {
  return ws.run(['x509', '-in', who.certPath, '-noout', '-serial']).toString().trim().split('=')[1];
}

beforeAll(async () => {
  ws = new OpensslWorkspace();
  ca = ws.createCa('ca', 'Kezek Revocation Test CA');
  const [ocspPort, filesPort] = [await freePort(), await freePort()];
  filesUrl = `http://127.0.0.1:${filesPort}`;
  const aia = (url = `http://127.0.0.1:${ocspPort}/`) => `authorityInfoAccess = OCSP;URI:${url}`;
  const cdp = (path = '/ca.crl') => `crlDistributionPoints = URI:${filesUrl}${path}`;
  const issue = (name: keyof typeof signers, iin: string, extensions: string[]) => (signers[name] = ws.issue(ca, name, { commonName: `SIGNER ${name}`, iin }, { extensions }));
  issue('good', '900101300126', [aia(), cdp()]);
  issue('revoked', '850215400567', [aia()]);
  issue('revokedLater', '770101300128', [aia()]);
  issue('unknown', '880303300124', [aia()]);
  issue('crlGood', '910404400125', [cdp()]);
  issue('crlRevoked', '920505300122', [cdp()]);
  issue('brokenOcsp', '930606400129', [aia(`${filesUrl}/garbage`)]);
  issue('brokenCrl', '940707300126', [cdp('/garbage')]);
  issue('replayed', '950808400123', [aia(`${filesUrl}/replayed`)]);
  issue('nowhere', '960909300120', []);
  for (const name of ['revoked', 'revokedLater', 'crlRevoked'] as const) {
    ws.run(['ca', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-revoke', signers[name].certPath, '-crl_reason', 'keyCompromise']);
  }
  // Revoked an hour from now: after any signature made in this test.
  setRevocationDate(serialOf(signers.revokedLater), new Date(Date.now() + 3600_000));
  // Unknown to the responder: its line leaves the index.
  ws.write('ca.index', ws.read('ca.index').toString('utf8').split('\n').filter((l) => l.split('\t')[3]?.toLowerCase() !== serialOf(signers.unknown).toLowerCase()).join('\n'));
  ws.run(['ca', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-gencrl', '-crldays', '1', '-out', 'ca.crl.pem']);
  files = new LocalFiles();
  files.files.set('/ca.crl', ws.run(['crl', '-in', 'ca.crl.pem', '-outform', 'DER']));
  files.files.set('/garbage', Buffer.from('0\x03\x02\x01\x00not what was asked for'));
  await files.serve(filesPort);
  responder = await LocalOcspResponder.start(ws, ca, ocspPort);
  tsa = new LocalTsa(ws, ca);
});

afterAll(async () => {
  await responder?.stop();
  await files?.stop();
  ws?.cleanup();
});

beforeEach(() => {
  requests = [];
});

const only = (report: VerificationReport) => report.signatures[0];

describe('revocation by OCSP (openssl ocsp)', () => {
  it('passes a good certificate and says where the answer came from', async () => {
    const report = await verify(signers.good, 'hard');
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(only(report).revocation).toMatchObject({ status: 'good', source: 'ocsp', url: responder.url, revokedAt: null });
    expect(only(report).revocation.thisUpdate).not.toBeNull();
    expect(only(report).warnings).toEqual([]);
  });

  it('fails a certificate revoked before the signature, with the revocation time', async () => {
    const report = await verify(signers.revoked, 'soft');
    expect(report).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(only(report).revocation).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
    expect(only(report).message).toContain(`revoked at ${only(report).revocation.revokedAt}`);
  });

  it('judges a later revocation against the validity time: unproven claim → REVOKED_NO_POE, timestamp → passes with a warning', async () => {
    const cms = sign(signers.revokedLater);
    const claimed = await verify(signers.revokedLater, 'soft', { cms });
    expect(claimed).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });

    const token = tsa.stamp(readSignedDataLayer(cms).signerInfos[0].signature);
    const proven = await verify(signers.revokedLater, 'soft', { cms: embedSignatureTimestamps(cms, 0, [token]) });
    expect(proven.indication).toBe('TOTAL_PASSED');
    expect(only(proven).revocation.status).toBe('revoked');
    expect(only(proven).warnings.join()).toContain('after the timestamp proves the signature existed');
    expect(proven.warnings[0]).toMatch(/^signature 1\.1 \(SIGNER revokedLater\): /);
  });

  it('treats a certificate the responder does not know as unknown: a warning when soft, TRY_LATER when hard', async () => {
    const soft = await verify(signers.unknown, 'soft');
    expect(soft.indication).toBe('TOTAL_PASSED');
    expect(only(soft).revocation.status).toBe('unknown');
    expect(only(soft).warnings.join()).toContain('the responder does not know this certificate');

    const hard = await verify(signers.unknown, 'hard');
    expect(hard).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('does not check at all when off, and says so', async () => {
    const report = await verify(signers.revoked, 'off');
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(only(report).revocation.status).toBe('not-checked');
    expect(requests).toEqual([]);
  });

  it('asks once and reuses the answer until its nextUpdate', async () => {
    const shared = checker();
    const cms = sign(signers.good);
    await verify(signers.good, 'hard', { cms, check: shared });
    await verify(signers.good, 'hard', { cms, check: shared });
    await Promise.all([verify(signers.revoked, 'hard', { check: shared }), verify(signers.revoked, 'hard', { check: shared })]);
    expect(requests).toEqual([`POST ${responder.url}`, `POST ${responder.url}`]);
  });

  it('never asks about a certificate whose chain did not pass (no fetch for a stranger)', async () => {
    const report = await verifyCms(sign(signers.good), { trustAnchors: [], revocation: { policy: 'hard', checker: checker() } });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(requests).toEqual([]);
  });
});

describe('revocation by CRL (openssl ca -gencrl)', () => {
  it('passes a certificate that is not on the CRL, and fails one that is', async () => {
    const good = await verify(signers.crlGood, 'hard');
    expect(good.indication).toBe('TOTAL_PASSED');
    expect(only(good).revocation).toMatchObject({ status: 'good', source: 'crl', url: `${filesUrl}/ca.crl` });

    const revoked = await verify(signers.crlRevoked, 'hard');
    expect(revoked).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(only(revoked).revocation).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
  });

  it('fetches a CRL once for all the certificates it covers', async () => {
    const shared = checker();
    await verify(signers.crlGood, 'hard', { check: shared });
    await verify(signers.crlRevoked, 'hard', { check: shared });
    expect(requests).toEqual([`GET ${filesUrl}/ca.crl`]);
  });
});

describe('bad answers are INDETERMINATE with a message (hard), never a crash or a pass', () => {
  it.each([
    ['a malformed OCSP answer', 'brokenOcsp', /OCSP http:\/\/127\.0\.0\.1:\d+\/garbage: /],
    ['a malformed CRL', 'brokenCrl', /CRL http:\/\/127\.0\.0\.1:\d+\/garbage: /],
    ['an unreachable responder', 'replayed', /OCSP http:\/\/127\.0\.0\.1:\d+\/replayed: HTTP 404/],
    ['a certificate naming no responder', 'nowhere', /names no OCSP responder or CRL/],
  ] as const)('%s', async (_what, name, message) => {
    const report = await verify(signers[name], 'hard');
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(only(report).revocation.status).toBe('unknown');
    expect(only(report).message).toMatch(message);
  });

  it('an OCSP answer replayed from another question (nonce not ours)', async () => {
    // A genuine answer about `replayed`, captured once and served again for every later question.
    const http = new PkiHttp(3000);
    const { buildOcspRequest } = await import('./ocsp.js');
    const { parseCertificate } = await import('../certificate.js');
    const cert = parseCertificate(signers.replayed.certDer);
    const issuer = parseCertificate(ws.run(['x509', '-in', 'ca.pem', '-outform', 'DER']));
    files.files.set('/replayed', Buffer.from(await http.post(responder.url, 'application/ocsp-request', buildOcspRequest(cert, issuer).der, 65536)));
    const report = await verify(signers.replayed, 'hard');
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(only(report).message).toContain('does not echo our nonce');
    files.files.delete('/replayed');
  });
});
