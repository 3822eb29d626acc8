import { verifyCms, type VerificationReport } from '../cms/index.js';
import { buildOpensslFixture, type OpensslFixture } from '../cms/testing/openssl-vectors.js';
import { runCli } from './program.js';

let fx: OpensslFixture;

beforeAll(() => {
  fx = buildOpensslFixture();
});

afterAll(() => fx?.ws.cleanup());

async function kezek(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'kezek', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('kezek verify', () => {
  it('prints a table of who signed, when, with which certificate, and exits 0 when all passed', async () => {
    const { code, out } = await kezek('verify', fx.vectors.nested3.layers[0].file, '--trust', fx.ca.certPath);
    expect(code).toBe(0);
    expect(out).toContain('Result:    TOTAL_PASSED');
    expect(out).toContain('Nesting:   3 levels');
    expect(out).toMatch(/Signer\s+IIN\s+Signed at \(UTC\)\s+Certificate/);
    const rows = out.split('\n').filter((line) => /^\d\.\d /.test(line));
    expect(rows.map((r) => r.slice(0, 3))).toEqual(['1.1', '2.1', '3.1']);
    expect(rows[0]).toContain('ИВАНОВ ИВАН, ТОО «Кезек Тест» BIN 990740000683');
    expect(rows[0]).toContain('900101300017');
    expect(rows[0]).toContain('Kezek Test Root CA');
    expect(rows[2]).toContain('СЕЙТҚАЛИ АЙГЕРІМ');
    expect(out).not.toContain('were not checked');
  });

  it('prints the report as JSON with --json, the same report verifyCms gives', async () => {
    const { code, out } = await kezek('verify', fx.vectors.cosigned2.layers[0].file, '--trust', fx.ca.certPath, '--json');
    expect(code).toBe(0);
    const printed = JSON.parse(out) as VerificationReport;
    const direct = await verifyCms(fx.vectors.cosigned2.cms, { trustAnchors: [fx.ca.certPem] });
    expect(printed).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('fails closed without --trust: exit 2, NO_CERTIFICATE_CHAIN_FOUND, and says how to fix it', async () => {
    const { code, out } = await kezek('verify', fx.vectors.cosigned2.layers[0].file);
    expect(code).toBe(2);
    expect(out).toContain('INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND');
    expect(out).toContain('pass --trust <ca.pem>');
  });

  it.each([
    ['tampered content → 1', 'tamperedContent', 1, 'HASH_FAILURE'],
    ['altered signature → 1', 'alteredSignature', 1, 'SIG_CRYPTO_FAILURE'],
    ['garbage → 1', 'randomBytes', 1, 'FORMAT_FAILURE'],
    ['untrusted CA → 2', 'untrustedCa', 2, 'NO_CERTIFICATE_CHAIN_FOUND'],
    ['expired certificate → 2', 'expiredAtSigning', 2, 'OUT_OF_BOUNDS_NO_POE'],
  ] as const)('exits by indication: %s', async (_title, vector, exitCode, subIndication) => {
    const { code, out } = await kezek('verify', fx.vectors[vector].layers[0].file, '--trust', fx.ca.certPath);
    expect(code).toBe(exitCode);
    expect(out).toContain(subIndication);
  });

  it('takes the original of a detached signature with --content', async () => {
    const without = await kezek('verify', fx.vectors.detached.layers[0].file);
    expect([without.code, without.out.includes('SIGNED_DATA_NOT_FOUND')]).toEqual([2, true]);
    const withContent = await kezek('verify', fx.vectors.detached.layers[0].file, '--content', fx.documentFile, '--trust', fx.ca.certPath);
    expect(withContent.code).toBe(0);
    expect(withContent.out).toContain('PDF, 32768 bytes, detached');
    const wrong = await kezek('verify', fx.vectors.detached.layers[0].file, '--content', fx.vectors.wrongDetachedContent.layers[0].contentFile!);
    expect(wrong.code).toBe(1);
  });

  it('accepts several --trust files, and a bundle in one file', async () => {
    const bundle = fx.ws.write('bundle.pem', `${fx.otherCa.certPem}${fx.ca.certPem}`);
    expect((await kezek('verify', fx.vectors.untrustedCa.layers[0].file, '--trust', fx.ca.certPath, '--trust', fx.otherCa.certPath)).code).toBe(0);
    expect((await kezek('verify', fx.vectors.attached.layers[0].file, '--trust', bundle)).code).toBe(0);
  });

  it.each([
    ['no file', []],
    ['a missing file', ['/nonexistent/x.p7s']],
    ['a directory', ['/']],
    ['an unknown option', ['x.p7s', '--bogus']],
  ])('exits 64 for wrong usage: %s', async (_title, args) => {
    const { code, err } = await kezek('verify', ...(args as string[]));
    expect(code).toBe(64);
    expect(err.length).toBeGreaterThan(0);
  });

  it('exits 64 for a missing content file or a trust file that holds no certificate', async () => {
    const file = fx.vectors.attached.layers[0].file;
    expect((await kezek('verify', file, '--content', '/nonexistent/doc.pdf')).code).toBe(64);
    const notCert = await kezek('verify', file, '--trust', fx.documentFile);
    expect(notCert.code).toBe(64);
    expect(notCert.err).toContain('trust file');
  });
});
