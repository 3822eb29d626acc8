import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatePem, createSandboxCa, importPrivateKey, issuePersonCertificate, type KeyAndCertificate } from './certificates.js';
import { addSigner, signContent, type Signer } from './cms-sign.js';
import { isCms, unwrapCms } from './cms-unwrap.js';
import { makeIin } from '../../cms/iin.js';
import { nameForIin } from './kazakh-names.js';

/** Every CMS produced here is checked by OpenSSL, an implementation independent of the one that built it. */
describe('sandbox CMS signing (checked with openssl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kezek-cms-'));
  const now = new Date();
  let ca: KeyAndCertificate;
  let alice: Signer & { iin: string };
  let bob: Signer & { iin: string };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  async function person(serial: number, male: boolean): Promise<Signer & { iin: string }> {
    const iin = makeIin({ year: 1990, month: 5, day: 17 }, male, serial);
    const issued = await issuePersonCertificate(ca, iin, nameForIin(iin), now);
    return { iin, certificateDer: issued.certificateDer, privateKey: await importPrivateKey(issued.privateKeyPkcs8) };
  }

  function opensslVerify(cms: Uint8Array, extra: string[] = []): string {
    const file = join(dir, `cms-${Math.random().toString(16).slice(2)}.der`);
    writeFileSync(file, cms);
    const out = join(dir, 'out.bin');
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', file, '-CAfile', join(dir, 'ca.pem'), '-out', out, ...extra], { stdio: 'pipe' });
    return readFileSync(out, 'latin1');
  }

  beforeAll(async () => {
    ca = await createSandboxCa(now);
    writeFileSync(join(dir, 'ca.pem'), certificatePem(ca.certificateDer));
    alice = await person(1, true);
    bob = await person(2, false);
  });

  it('issues NCA-style certificates', () => {
    writeFileSync(join(dir, 'alice.der'), alice.certificateDer);
    const text = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(dir, 'alice.der'), '-noout', '-subject', '-ext', 'keyUsage', '-nameopt', 'multiline,utf8,-esc_msb'], { encoding: 'utf8' });
    const name = nameForIin(alice.iin);
    expect(text).toContain(`commonName                = ${name.surname} ${name.givenName}`);
    expect(text).toContain(`surname                   = ${name.surname}`);
    expect(text).toContain(`givenName                 = ${name.patronymic}`);
    expect(text).toContain(`serialNumber              = IIN${alice.iin}`);
    expect(text).toContain('countryName               = KZ');
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
  });

  it('signs attached: openssl verifies and returns the content', async () => {
    const cms = await signContent(pdf, alice, { signingTime: now });
    expect(opensslVerify(cms)).toBe(pdf.toString('latin1'));
    const unwrapped = unwrapCms(cms);
    expect(Buffer.from(unwrapped.content!)).toEqual(pdf);
    expect(unwrapped.signers).toHaveLength(1);
    expect(unwrapped.signers[0].iin).toBe(alice.iin);
    expect(Math.abs(unwrapped.signers[0].signingTime!.getTime() - now.getTime())).toBeLessThan(1000);
  });

  it('signs detached: openssl verifies with the content supplied', async () => {
    const cms = await signContent(pdf, alice, { signingTime: now, detached: true });
    const contentFile = join(dir, 'doc.pdf');
    writeFileSync(contentFile, pdf);
    expect(() => opensslVerify(cms)).toThrow();
    opensslVerify(cms, ['-content', contentFile]);
    expect(unwrapCms(cms).content).toBeUndefined();
  });

  it('nests: the second CMS encapsulates the first; both levels verify', async () => {
    const first = await signContent(pdf, alice, { signingTime: now });
    const second = await signContent(first, bob, { signingTime: now });
    const inner = opensslVerify(second);
    expect(Buffer.from(inner, 'latin1')).toEqual(Buffer.from(first));
    expect(opensslVerify(first)).toBe(pdf.toString('latin1'));
    const unwrapped = unwrapCms(second);
    expect(unwrapped.levels).toBe(2);
    expect(unwrapped.signers.map((s) => [s.depth, s.iin])).toEqual([[0, bob.iin], [1, alice.iin]]);
    expect(Buffer.from(unwrapped.content!)).toEqual(pdf);
  });

  it('co-signs: a second signerInfo over the same content; openssl verifies both', async () => {
    const first = await signContent(pdf, alice, { signingTime: now });
    const both = await addSigner(first, bob, { signingTime: now });
    expect(opensslVerify(both)).toBe(pdf.toString('latin1'));
    const file = join(dir, 'both.der');
    writeFileSync(file, both);
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', file], { encoding: 'utf8' });
    expect(printed.match(/signatureAlgorithm:/g)).toHaveLength(2);
    expect(unwrapCms(both).signers.map((s) => s.iin)).toEqual([alice.iin, bob.iin]);
  });

  it('co-signs a CMS made by openssl', async () => {
    writeFileSync(join(dir, 'alice.pem'), certificatePem(alice.certificateDer));
    const keyFile = join(dir, 'bob.key');
    const bobIssued = await issuePersonCertificate(ca, bob.iin, nameForIin(bob.iin), now);
    writeFileSync(keyFile, `-----BEGIN PRIVATE KEY-----\n${Buffer.from(bobIssued.privateKeyPkcs8).toString('base64')}\n-----END PRIVATE KEY-----\n`);
    writeFileSync(join(dir, 'bob.pem'), certificatePem(bobIssued.certificateDer));
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    execFileSync('openssl', ['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-in', join(dir, 'doc.pdf'), '-signer', join(dir, 'bob.pem'), '-inkey', keyFile, '-outform', 'DER', '-out', join(dir, 'by-openssl.der')]);
    const cosigned = await addSigner(readFileSync(join(dir, 'by-openssl.der')), alice, { signingTime: now });
    expect(opensslVerify(cosigned)).toBe(pdf.toString('latin1'));
    expect(unwrapCms(cosigned).signers).toHaveLength(2);
  });

  it('recognises what is not a CMS', () => {
    expect(isCms(pdf)).toBe(false);
    expect(isCms(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toBe(false);
    expect(unwrapCms(pdf)).toEqual({ content: pdf, levels: 0, signers: [] });
  });
});
