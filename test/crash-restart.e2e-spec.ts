import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../src/cms/testing/local-pki.js';

/**
 * The service as users run it: the built app (`node dist/src/main.js`) on embedded defaults in a child
 * process with its own data directory, its embedded PostgreSQL a child of it. SIGKILL of the whole process
 * group under load, then an immediate start on the same data.
 */
const ROOT = resolve(import.meta.dirname, '..');
/** Built apart from dist/ (another command may be building there); inside node_modules so packages resolve. */
const BUILD = resolve(ROOT, 'node_modules/.cache/kezek-crash-restart');

interface Service {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startService(env: Record<string, string>): Service {
  let output = '';
  const child = spawn(process.execPath, [join(BUILD, 'src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'silent', SANDBOX_ENABLED: 'false', ...env },
    detached: true, // its own process group: the SIGKILL below takes the embedded PostgreSQL with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitReady(base: string, service: Service, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void service.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the service exited before it was ready:\n${service.output()}`);
    const ok = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the service was not ready in time:\n${service.output()}`);
}

describe('start-up after a crash (the built app, embedded PostgreSQL)', () => {
  let dataDir: string;
  let secretsDir: string;
  const services: Service[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: ROOT, stdio: 'pipe' });
    // The embedded server runs as the postgres user when the tests run as root: the directory must be its own.
    dataDir = mkdtempSync(join(tmpdir(), 'kezek-crash-pg-'));
    secretsDir = mkdtempSync(join(tmpdir(), 'kezek-crash-secrets-'));
  }, 300_000);
  afterAll(async () => {
    for (const s of services) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        process.kill(-s.child.pid!, 'SIGKILL');
        await s.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('starts again at once after SIGKILL under load, on the same data', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), EMBEDDED_DB_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort), SECRETS_KEY_FILE: join(secretsDir, 'secrets.key') };
    const base = `http://127.0.0.1:${port}`;
    const first = startService(env);
    services.push(first);
    await waitReady(base, first);

    // Load: readiness probes (each a database query) and public verifications, 16 at a time.
    let loading = true;
    const load = Array.from({ length: 16 }, async (_, i) => {
      while (loading) {
        const form = new FormData();
        form.append('file', new Blob([`load ${i} ${Math.random()}`]), 'a.txt');
        await (i % 2 ? fetch(`${base}/health/ready`) : fetch(`${base}/v1/verify`, { method: 'POST', body: form })).catch(() => undefined);
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exited;
    loading = false;
    await Promise.all(load);

    const second = startService(env);
    services.push(second);
    await waitReady(base, second);
    expect(second.output()).not.toContain('failed to start');
    process.kill(-second.child.pid!, 'SIGTERM');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('names the data directory and quotes PostgreSQL when the server cannot start', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'kezek-broken-pg-'));
    chmodSync(broken, 0o777);
    writeFileSync(join(broken, 'PG_VERSION'), '9\n'); // a data directory of another major version
    const service = startService({
      PORT: String(await freePort()),
      EMBEDDED_DB_DIR: broken,
      EMBEDDED_DB_PORT: String(await freePort()),
      SECRETS_KEY_FILE: join(secretsDir, 'broken.key'),
      EMBEDDED_DB_START_TIMEOUT_SECONDS: '2',
    });
    services.push(service);
    expect(await service.exited).toBe(1);
    const output = service.output();
    rmSync(broken, { recursive: true, force: true });
    expect(output).toContain(`Kezek failed to start: Embedded PostgreSQL: the server in ${broken} did not start`);
    expect(output).toMatch(/Its last log lines:\n\s+postgres: could not access the server configuration file/);
    expect(output).not.toContain('undefined');
  }, 120_000);
});
