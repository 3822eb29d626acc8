import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { OPENSSL, type OpensslWorkspace, type TestSigner } from './openssl-vectors.js';

/**
 * Real PKI services for tests, on loopback: OpenSSL's own OCSP responder (`openssl ocsp -index`), a
 * time-stamping authority (`openssl ts -reply` behind a small HTTP server: OpenSSL has no TSA server), and
 * a plain HTTP server for CRLs and deliberately broken answers.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `openssl ocsp` answering from a CA's index file, signing with the CA's key (nextUpdate one day on). OpenSSL
 * 3.0's responder takes a port only (it listens on every interface); tests call it on 127.0.0.1.
 */
export class LocalOcspResponder {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(ws: OpensslWorkspace, ca: { name: string }, port: number): Promise<LocalOcspResponder> {
    const child = spawn(OPENSSL, ['ocsp', '-index', `${ca.name}.index`, '-port', String(port), '-rsigner', `${ca.name}.pem`, '-rkey', `${ca.name}.key`, '-CA', `${ca.name}.pem`, '-ndays', '1'], {
      cwd: ws.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Not a probe connection: the responder serves one connection at a time and would wait on an idle one.
    await new Promise<void>((resolve, reject) => {
      let said = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('waiting for OCSP client connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${said}`)));
    });
    return new LocalOcspResponder(`http://127.0.0.1:${port}/`, child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}

/** A TSA certificate issued by `ca` and `openssl ts -reply` configured to sign with it. */
export class LocalTsa {
  readonly signer: TestSigner;
  private server: Server | null = null;

  constructor(
    private readonly ws: OpensslWorkspace,
    ca: { name: string; certPath: string },
  ) {
    this.signer = ws.issue(ca, 'tsa', { commonName: 'Kezek Test TSA', organization: 'Kezek Test' }, { extensions: ['extendedKeyUsage = critical,timeStamping'] });
    ws.write('tsa.serial', '01\n');
    ws.write(
      'ts.cnf',
      [
        '[tsa]',
        'default_tsa = tsa_config',
        '[tsa_config]',
        'dir = .',
        'serial = tsa.serial',
        'crypto_device = builtin',
        'signer_cert = tsa.pem',
        `certs = ${ca.certPath}`,
        'signer_key = tsa.key',
        'signer_digest = sha256',
        'default_policy = 1.2.398.3.3.99.1',
        'digests = sha256, sha384, sha512',
        'accuracy = secs:1',
        'ordering = no',
        'tsa_name = yes',
        'ess_cert_id_chain = no',
        'ess_cert_id_alg = sha256',
        '',
      ].join('\n'),
    );
  }

  /** A timestamp token (ContentInfo, DER) over `data`, hashed with SHA-256. */
  stamp(data: Uint8Array): Buffer {
    const name = `stamp-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    this.ws.write(`${name}.bin`, Buffer.from(data));
    this.ws.run(['ts', '-query', '-data', `${name}.bin`, '-sha256', '-cert', '-out', `${name}.tsq`]);
    this.ws.run(['ts', '-reply', '-config', 'ts.cnf', '-queryfile', `${name}.tsq`, '-token_out', '-out', `${name}.tok`]);
    return this.ws.read(`${name}.tok`);
  }

  /** Serves RFC 3161 over HTTP: each POSTed TimeStampReq is answered by `openssl ts -reply`. */
  async serve(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const name = `http-${Date.now()}-${Math.random().toString(16).slice(2)}`;
        try {
          this.ws.write(`${name}.tsq`, Buffer.concat(chunks));
          this.ws.run(['ts', '-reply', '-config', 'ts.cnf', '-queryfile', `${name}.tsq`, '-out', `${name}.tsr`]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(this.ws.read(`${name}.tsr`));
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Serves fixed bytes per path (CRLs, and broken answers for the failure cases). */
export class LocalFiles {
  readonly files = new Map<string, Buffer>();
  private server: Server | null = null;

  async serve(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      const body = this.files.get(req.url ?? '');
      if (body) res.writeHead(200).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
