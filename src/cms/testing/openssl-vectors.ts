import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * CMS test vectors made by OpenSSL (an implementation independent of ours) in a temporary directory: a
 * test CA, NCA-style signer certificates, and signatures of every shape Kezek must read. Used by the spec
 * files and the benchmark. Needs the `openssl` command (OpenSSL 3).
 */
export const OPENSSL = process.env.OPENSSL_BIN ?? 'openssl';

export interface TestSigner {
  name: string;
  certPath: string;
  keyPath: string;
  certPem: string;
  certDer: Buffer;
  keyPem: string;
  iin: string | null;
  bin: string | null;
  commonName: string;
  surname: string | null;
  givenName: string | null;
  organization: string | null;
}

export interface SubjectSpec {
  commonName: string;
  /** The raw SERIALNUMBER value, instead of `IIN` + iin. */
  serialNumber?: string;
  surname?: string;
  givenName?: string;
  iin?: string;
  bin?: string;
  organization?: string;
}

export type CertificateProfile = 'signer' | 'custom-ski' | 'no-signing-usage';

export interface IssueOptions {
  profile?: CertificateProfile;
  /** openssl ca dates, YYYYMMDDHHMMSSZ; default: valid from yesterday for a year. */
  startDate?: string;
  endDate?: string;
  /** A PKCS#8 PEM private key to certify instead of generating one. */
  keyPem?: string;
  /** Key to generate (default RSA-2048). */
  keyAlgorithm?: 'RSA' | 'EC-P256';
  /** openssl extension lines added to the profile's (e.g. authorityInfoAccess, crlDistributionPoints, extendedKeyUsage). */
  extensions?: string[];
}

/** The custom SubjectKeyIdentifier of the `custom-ski` profile: deliberately not SHA-1 of the key. */
export const CUSTOM_SKI_HEX = '4b5a0102030405060708090a0b0c0d0e0f10111213';

function subjectArgument(spec: SubjectSpec): string {
  const esc = (v: string) => v.replace(/([/=\\])/g, '\\$1');
  const parts = [`CN=${esc(spec.commonName)}`];
  if (spec.surname) parts.push(`SN=${esc(spec.surname)}`);
  if (spec.serialNumber) parts.push(`serialNumber=${esc(spec.serialNumber)}`);
  else if (spec.iin) parts.push(`serialNumber=IIN${spec.iin}`);
  parts.push('C=KZ');
  if (spec.organization) parts.push(`O=${esc(spec.organization)}`);
  if (spec.bin) parts.push(`OU=BIN${spec.bin}`);
  if (spec.givenName) parts.push(`GN=${esc(spec.givenName)}`);
  return `/${parts.join('/')}`;
}

export function opensslDate(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/** A working directory with a CA that issues NCA-style certificates through `openssl ca`. */
export class OpensslWorkspace {
  readonly dir: string;

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'kezek-cms-'));
  }

  run(args: string[], input?: Buffer): Buffer {
    return execFileSync(OPENSSL, args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  }

  /** Runs openssl and reports success instead of throwing. */
  succeeds(args: string[]): boolean {
    try {
      this.run(args);
      return true;
    } catch {
      return false;
    }
  }

  path(name: string): string {
    return resolve(this.dir, name);
  }

  write(name: string, data: Buffer | string): string {
    writeFileSync(this.path(name), data);
    return this.path(name);
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  private config(caName: string): string {
    const file = `${caName}.cnf`;
    this.write(
      file,
      [
        '[ca]',
        'default_ca = this_ca',
        '[this_ca]',
        `database = ${caName}.index`,
        `serial = ${caName}.serial`,
        'new_certs_dir = .',
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'email_in_dn = no',
        '[policy_any]',
        'commonName = supplied',
        '[req]',
        'distinguished_name = dn',
        'prompt = no',
        'utf8 = yes',
        'string_mask = utf8only',
        '[dn]',
        'CN = unused',
        '[ca_ext]',
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier = hash',
        '[signer]',
        'basicConstraints = CA:FALSE',
        'keyUsage = critical,digitalSignature,nonRepudiation',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        'certificatePolicies = 1.2.398.3.3.2.1',
        '[custom-ski]',
        'basicConstraints = CA:FALSE',
        'keyUsage = critical,digitalSignature,nonRepudiation',
        `subjectKeyIdentifier = ${CUSTOM_SKI_HEX}`,
        'authorityKeyIdentifier = keyid',
        '[no-signing-usage]',
        'basicConstraints = CA:FALSE',
        'keyUsage = critical,keyEncipherment',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
    );
    return file;
  }

  newKey(name: string, algorithm: 'RSA' | 'EC-P256' = 'RSA'): string {
    const file = `${name}.key`;
    const options = algorithm === 'RSA' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    this.run(['genpkey', ...options, '-out', file]);
    return file;
  }

  /** A self-signed CA. */
  createCa(name: string, commonName: string): { certPath: string; keyPath: string; certPem: string; name: string } {
    const config = this.config(name);
    this.write(`${name}.index`, '');
    this.write(`${name}.serial`, `${randomBytes(8).toString('hex').toUpperCase()}\n`);
    const key = this.newKey(name);
    this.run(['req', '-new', '-x509', '-config', config, '-key', key, '-subj', `/CN=${commonName}/O=Kezek Test/C=KZ`, '-days', '3650', '-extensions', 'ca_ext', '-sha256', '-out', `${name}.pem`, '-utf8']);
    return { certPath: this.path(`${name}.pem`), keyPath: this.path(key), certPem: this.read(`${name}.pem`).toString('utf8'), name };
  }

  /** A signer certificate issued by `ca`, with an NCA-style subject. */
  issue(ca: { name: string }, name: string, spec: SubjectSpec, options: IssueOptions = {}): TestSigner {
    const key = options.keyPem ? (this.write(`${name}.key`, options.keyPem), `${name}.key`) : this.newKey(name, options.keyAlgorithm);
    this.run(['req', '-new', '-config', `${ca.name}.cnf`, '-key', key, '-subj', subjectArgument(spec), '-utf8', '-out', `${name}.csr`]);
    let profile = options.profile ?? 'signer';
    if (options.extensions) {
      const section = `${profile}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
      const base = this.read(`${ca.name}.cnf`).toString('utf8').split(`[${profile}]\n`)[1].split('\n[')[0].trim().split('\n');
      this.write(`${ca.name}.cnf`, `${this.read(`${ca.name}.cnf`).toString('utf8')}\n[${section}]\n${[...base, ...options.extensions].join('\n')}\n`);
      profile = section as CertificateProfile;
    }
    const start = options.startDate ?? opensslDate(new Date(Date.now() - 86_400_000));
    const end = options.endDate ?? opensslDate(new Date(Date.now() + 365 * 86_400_000));
    this.run([
      'ca', '-batch', '-config', `${ca.name}.cnf`, '-cert', `${ca.name}.pem`, '-keyfile', `${ca.name}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`,
      '-extensions', profile, '-startdate', start, '-enddate', end, '-preserveDN', '-utf8', '-notext', '-md', 'sha256',
    ]);
    const certPem = this.read(`${name}.pem`).toString('utf8');
    const certDer = this.run(['x509', '-in', `${name}.pem`, '-outform', 'DER']);
    return {
      name,
      certPath: this.path(`${name}.pem`),
      keyPath: this.path(key),
      certPem,
      certDer,
      keyPem: this.read(key).toString('utf8'),
      iin: spec.iin ?? null,
      bin: spec.bin ?? null,
      commonName: spec.commonName,
      surname: spec.surname ?? null,
      givenName: spec.givenName ?? null,
      organization: spec.organization ?? null,
    };
  }

  /**
   * `openssl cms -sign` of `inputFile` into `outFile` (DER). Several signers co-sign; `detached` leaves the
   * content out; `keyid` identifies signers by SubjectKeyIdentifier; `stream` makes BER indefinite-length.
   */
  sign(
    inputFile: string,
    outFile: string,
    signers: TestSigner[],
    options: { detached?: boolean; keyid?: boolean; stream?: boolean; noCerts?: boolean; noAttributes?: boolean; md?: string; pss?: boolean } = {},
  ): Buffer {
    const args = ['cms', '-sign', '-binary', '-md', options.md ?? 'sha256', '-in', inputFile, '-outform', 'DER', '-out', outFile];
    for (const s of signers) {
      args.push('-signer', s.certPath, '-inkey', s.keyPath);
      if (options.pss) args.push('-keyopt', 'rsa_padding_mode:pss');
    }
    if (!options.detached) args.push('-nodetach');
    if (options.keyid) args.push('-keyid');
    if (options.stream) args.push('-stream', '-indef');
    if (options.noCerts) args.push('-nocerts');
    if (options.noAttributes) args.push('-noattr');
    this.run(args);
    return this.read(outFile);
  }

  /** `openssl cms -resign`: adds a signer to an existing SignedData. */
  resign(inFile: string, outFile: string, signer: TestSigner, options: { contentFile?: string } = {}): Buffer {
    const args = ['cms', '-resign', '-binary', '-md', 'sha256', '-inform', 'DER', '-in', inFile, '-signer', signer.certPath, '-inkey', signer.keyPath, '-outform', 'DER', '-out', outFile];
    if (options.contentFile) args.push('-content', options.contentFile);
    else args.push('-nodetach');
    this.run(args);
    return this.read(outFile);
  }

  /**
   * Whether `openssl cms -verify` accepts one SignedData. With `caFile` the chain and purpose are checked as
   * well; without it only the cryptography (-noverify). `outFile` receives the content.
   */
  verify(file: string, options: { contentFile?: string; caFile?: string; outFile?: string } = {}): boolean {
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', file, '-out', options.outFile ?? (process.platform === 'win32' ? 'NUL' : '/dev/null')];
    if (options.contentFile) args.push('-content', options.contentFile);
    if (options.caFile) args.push('-CAfile', options.caFile, '-purpose', 'any');
    else args.push('-noverify');
    return this.succeeds(args);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A 32 KB document that reads as a PDF (header and trailer around random bytes). */
export function pseudoPdf(size = 32 * 1024): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n', 'latin1');
  const tail = Buffer.from('\nendstream\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length - tail.length)), tail]);
}

export type VectorName =
  | 'attached'
  | 'detached'
  | 'ski'
  | 'cosigned2'
  | 'cosigned3'
  | 'resigned'
  | 'resignedDetached'
  | 'nested3'
  | 'nestedOverCosigned'
  | 'tamperedContent'
  | 'alteredSignature'
  | 'wrongDetachedContent'
  | 'expiredAtSigning'
  | 'untrustedCa'
  | 'berIndefinite'
  | 'noCertificates'
  | 'noSignedAttributes'
  | 'noSigningKeyUsage'
  | 'xmlDocument'
  | 'truncated'
  | 'randomBytes'
  | 'randomSequence';

export interface OpensslVector {
  name: VectorName;
  cms: Buffer;
  /** The content to pass as detached content (detached vectors). */
  detachedContent?: Buffer;
  /**
   * The SignedData layers as files, outermost first, with the content file for a detached one: what
   * `openssl cms -verify` is run on, layer by layer (it verifies one SignedData at a time).
   */
  layers: { file: string; contentFile?: string }[];
}

export interface OpensslFixture {
  ws: OpensslWorkspace;
  document: Buffer;
  documentFile: string;
  ca: { certPath: string; keyPath: string; certPem: string; name: string };
  otherCa: { certPath: string; keyPath: string; certPem: string; name: string };
  signers: {
    ivanov: TestSigner;
    petrova: TestSigner;
    seitkali: TestSigner;
    customSki: TestSigner;
    expired: TestSigner;
    untrusted: TestSigner;
    encipherOnly: TestSigner;
  };
  vectors: Record<VectorName, OpensslVector>;
}

function flipByte(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] ^= 0x01;
  return copy;
}

/** Builds the CA, the signers and every vector (a few seconds: mostly RSA key generation). */
export function buildOpensslFixture(): OpensslFixture {
  const ws = new OpensslWorkspace();
  const document = pseudoPdf();
  const documentFile = ws.write('document.pdf', document);
  const ca = ws.createCa('ca', 'Kezek Test Root CA');
  const otherCa = ws.createCa('other-ca', 'Unknown CA');

  const signers = {
    ivanov: ws.issue(ca, 'ivanov', { commonName: 'ИВАНОВ ИВАН', surname: 'ИВАНОВ', givenName: 'ИВАНОВИЧ', iin: '900101300017', bin: '990740000683', organization: 'ТОО «Кезек Тест»' }),
    petrova: ws.issue(ca, 'petrova', { commonName: 'ПЕТРОВА АННА', surname: 'ПЕТРОВА', givenName: 'СЕРГЕЕВНА', iin: '850615400705' }),
    seitkali: ws.issue(ca, 'seitkali', { commonName: 'СЕЙТҚАЛИ АЙГЕРІМ', surname: 'СЕЙТҚАЛИ', givenName: 'ЕРЛАНҚЫЗЫ', iin: '010517602345' }),
    customSki: ws.issue(ca, 'custom-ski', { commonName: 'ОМАРОВ АСАН', surname: 'ОМАРОВ', iin: '900101300017' }, { profile: 'custom-ski' }),
    expired: ws.issue(ca, 'expired', { commonName: 'ЖАНОВ ЕРЛАН', surname: 'ЖАНОВ', iin: '900101300017' }, { startDate: '20200101000000Z', endDate: '20210101000000Z' }),
    untrusted: ws.issue(otherCa, 'untrusted', { commonName: 'ЧУЖОЙ ПОДПИСАНТ', iin: '900101300017' }),
    encipherOnly: ws.issue(ca, 'encipher-only', { commonName: 'ШИФРОВ КЛЮЧ', iin: '900101300017' }, { profile: 'no-signing-usage' }),
  };

  const v: Partial<Record<VectorName, OpensslVector>> = {};
  const attachedFile = 'attached.p7s';
  const attached = ws.sign(documentFile, ws.path(attachedFile), [signers.ivanov]);
  v.attached = { name: 'attached', cms: attached, layers: [{ file: ws.path(attachedFile) }] };

  const detached = ws.sign(documentFile, ws.path('detached.p7s'), [signers.ivanov], { detached: true });
  v.detached = { name: 'detached', cms: detached, detachedContent: document, layers: [{ file: ws.path('detached.p7s'), contentFile: documentFile }] };

  const ski = ws.sign(documentFile, ws.path('ski.p7s'), [signers.customSki], { keyid: true });
  v.ski = { name: 'ski', cms: ski, layers: [{ file: ws.path('ski.p7s') }] };

  const cosigned2 = ws.sign(documentFile, ws.path('cosigned2.p7s'), [signers.ivanov, signers.petrova]);
  v.cosigned2 = { name: 'cosigned2', cms: cosigned2, layers: [{ file: ws.path('cosigned2.p7s') }] };

  const cosigned3 = ws.sign(documentFile, ws.path('cosigned3.p7s'), [signers.ivanov, signers.petrova, signers.seitkali]);
  v.cosigned3 = { name: 'cosigned3', cms: cosigned3, layers: [{ file: ws.path('cosigned3.p7s') }] };

  const resigned = ws.resign(ws.path(attachedFile), ws.path('resigned.p7s'), signers.petrova);
  v.resigned = { name: 'resigned', cms: resigned, layers: [{ file: ws.path('resigned.p7s') }] };

  const resignedDetached = ws.resign(ws.path('detached.p7s'), ws.path('resigned-detached.p7s'), signers.petrova, { contentFile: documentFile });
  v.resignedDetached = { name: 'resignedDetached', cms: resignedDetached, detachedContent: document, layers: [{ file: ws.path('resigned-detached.p7s'), contentFile: documentFile }] };

  // Nesting: each next signer signs the previous CMS file's bytes.
  ws.sign(ws.path(attachedFile), ws.path('nested2.p7s'), [signers.petrova]);
  const nested3 = ws.sign(ws.path('nested2.p7s'), ws.path('nested3.p7s'), [signers.seitkali]);
  v.nested3 = { name: 'nested3', cms: nested3, layers: ['nested3.p7s', 'nested2.p7s', attachedFile].map((f) => ({ file: ws.path(f) })) };

  const nestedOverCosigned = ws.sign(ws.path('cosigned2.p7s'), ws.path('nested-over-cosigned.p7s'), [signers.seitkali]);
  v.nestedOverCosigned = { name: 'nestedOverCosigned', cms: nestedOverCosigned, layers: ['nested-over-cosigned.p7s', 'cosigned2.p7s'].map((f) => ({ file: ws.path(f) })) };

  // Tampering: one bit of the content; one bit of the signature value (the last 256 bytes of a definite
  // DER SignedData without unsigned attributes are the RSA-2048 signature).
  const contentAt = attached.indexOf(document.subarray(0, 64));
  if (contentAt < 0) throw new Error('content not found in the attached vector');
  const tampered = flipByte(attached, contentAt + 1000);
  v.tamperedContent = { name: 'tamperedContent', cms: tampered, layers: [{ file: ws.write('tampered.p7s', tampered) }] };
  if (attached.readUInt32BE(attached.length - 260) !== 0x04820100) throw new Error('unexpected signature layout');
  const altered = flipByte(attached, attached.length - 100);
  v.alteredSignature = { name: 'alteredSignature', cms: altered, layers: [{ file: ws.write('altered.p7s', altered) }] };

  const otherDocument = pseudoPdf();
  v.wrongDetachedContent = { name: 'wrongDetachedContent', cms: detached, detachedContent: otherDocument, layers: [{ file: ws.path('detached.p7s'), contentFile: ws.write('other.pdf', otherDocument) }] };

  const expired = ws.sign(documentFile, ws.path('expired.p7s'), [signers.expired]);
  v.expiredAtSigning = { name: 'expiredAtSigning', cms: expired, layers: [{ file: ws.path('expired.p7s') }] };

  const untrusted = ws.sign(documentFile, ws.path('untrusted.p7s'), [signers.untrusted]);
  v.untrustedCa = { name: 'untrustedCa', cms: untrusted, layers: [{ file: ws.path('untrusted.p7s') }] };

  const ber = ws.sign(documentFile, ws.path('ber.p7s'), [signers.ivanov], { stream: true });
  v.berIndefinite = { name: 'berIndefinite', cms: ber, layers: [{ file: ws.path('ber.p7s') }] };

  const noCerts = ws.sign(documentFile, ws.path('nocerts.p7s'), [signers.ivanov], { noCerts: true });
  v.noCertificates = { name: 'noCertificates', cms: noCerts, layers: [{ file: ws.path('nocerts.p7s') }] };

  const noAttrs = ws.sign(documentFile, ws.path('noattrs.p7s'), [signers.ivanov], { noAttributes: true });
  v.noSignedAttributes = { name: 'noSignedAttributes', cms: noAttrs, layers: [{ file: ws.path('noattrs.p7s') }] };

  const encipher = ws.sign(documentFile, ws.path('encipher.p7s'), [signers.encipherOnly]);
  v.noSigningKeyUsage = { name: 'noSigningKeyUsage', cms: encipher, layers: [{ file: ws.path('encipher.p7s') }] };

  const xmlFile = ws.write('document.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<Контракт id="1"><Сумма>100</Сумма></Контракт>\n');
  const xml = ws.sign(xmlFile, ws.path('xml.p7s'), [signers.petrova]);
  v.xmlDocument = { name: 'xmlDocument', cms: xml, layers: [{ file: ws.path('xml.p7s') }] };

  const truncated = attached.subarray(0, Math.floor(attached.length / 2));
  v.truncated = { name: 'truncated', cms: Buffer.from(truncated), layers: [{ file: ws.write('truncated.p7s', truncated) }] };
  const random = randomBytes(4096);
  random[0] = 0x5a;
  v.randomBytes = { name: 'randomBytes', cms: random, layers: [{ file: ws.write('random.bin', random) }] };
  const randomSequence = Buffer.concat([Buffer.from([0x30, 0x82, 0x0f, 0xfc]), randomBytes(4092)]);
  v.randomSequence = { name: 'randomSequence', cms: randomSequence, layers: [{ file: ws.write('random-seq.bin', randomSequence) }] };

  return { ws, document, documentFile, ca, otherCa, signers, vectors: v as Record<VectorName, OpensslVector> };
}
