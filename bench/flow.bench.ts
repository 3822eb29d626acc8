/**
 * bench:flow — N envelopes × 3 sequential signers end to end against the local sandbox (sessions completed
 * through its automation endpoint; the sandbox in a process of its own), on real PostgreSQL, over real HTTP
 * on loopback. In the same run it
 * measures the database's own baseline: single-row UPDATE transactions per second over one pool.
 *
 *   npm run bench:flow                 # 300 envelopes
 *   BENCH_ENVELOPES=50 npm run bench:flow
 *
 * Last line: ratio=<rounds per s / baseline transactions per s>.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { AppModule } from '../src/app.module.js';
import { isValidIin } from '../src/cms/iin.js';
import { configureApp } from '../src/bootstrap.js';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { loadConfig } from '../src/config/app-config.js';
import { ensureDatabase } from '../src/database/embedded-database.js';
import { OrganisationsService } from '../src/organisations/organisations.service.js';
import { Organisation } from '../src/organisations/organisation.entity.js';
import { DataSource } from 'typeorm';

const ENVELOPES = Number(process.env.BENCH_ENVELOPES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SIGNERS = 3;
/** Valid IINs, cycled: the sandbox issues each one certificate once, as the real CA would. */
const IIN_POOL = Array.from({ length: 30 }, (_, i) => validIin(`90010130${String(i * 7).padStart(3, '0')}`));

function validIin(first11: string): string {
  const d = first11.split('').map(Number);
  for (let bump = 0; bump < 10; bump++) {
    d[10] = (Number(first11[10]) + bump) % 10;
    let sum = d.reduce((acc, digit, i) => acc + digit * (i + 1), 0) % 11;
    if (sum === 10) sum = d.reduce((acc, digit, i) => acc + digit * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i], 0) % 11;
    if (sum !== 10 && isValidIin(d.join('') + String(sum))) return d.join('') + String(sum);
  }
  throw new Error(`no valid IIN from ${first11}`);
}

/** Counts every SQL statement the process sends, by the application_name of the connection. */
const statements = new Map<string, number>();
const profile = new Map<string, number>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client & { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
  const name = this.connectionParameters?.application_name ?? 'other';
  statements.set(name, (statements.get(name) ?? 0) + 1);
  if (process.env.BENCH_SQL_PROFILE && name.startsWith('kezek')) {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ').slice(0, 90);
    profile.set(text, (profile.get(text) ?? 0) + 1);
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One app instance on a loopback port; `env` on top of the shared settings. */
async function startInstance(databaseUrl: string, env: Record<string, string>) {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, SECRETS_KEY: SECRETS, LOG_LEVEL: 'warn', PORT: '0', ...env });
  const app = await NestFactory.create(AppModule.register({ config, databaseUrl }), { bufferLogs: true, rawBody: true, logger: ['error', 'warn'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  config.publicBaseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return { app, config, base: config.publicBaseUrl };
}

const SECRETS = randomBytes(32).toString('base64');
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/kezek.js', import.meta.url));

/** The sandbox as its own Kezek process (sandbox only: no job workers), on a free loopback port. */
async function startProviderProcess(databaseUrl: string): Promise<{ process: ChildProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SECRETS_KEY: SECRETS,
      MIGRATIONS_RUN: 'true',
      SANDBOX_ENABLED: 'true',
      SANDBOX_PROFILE: 'prod',
      JOBS_WORKERS_ENABLED: 'false',
      DATABASE_APPLICATION_NAME: 'sandbox',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('the provider process exited');
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return { process: child, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('the provider process did not become ready');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kezek-bench-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const database = await ensureDatabase({ databaseUrl: process.env.DATABASE_URL, dir: join(dataDir, 'pg'), port: 54000 + Math.floor(Math.random() * 900) });
  // The provider (the sandbox) runs in a process of its own, as the real one runs elsewhere: its CPU work
  // (RSA signatures, archive pages) does not share Kezek's event loop.
  const provider = await startProviderProcess(database.url);
  const caFile = join(dataDir, 'sandbox-ca.pem');
  writeFileSync(caFile, await (await fetch(`${provider.base}/sandbox/ca.pem`)).text());
  const kezek = await startInstance(database.url, {
    MIGRATIONS_RUN: 'false',
    SANDBOX_ENABLED: 'false',
    CLOUD_EDS_BASE_URL: `${provider.base}/sandbox`,
    CLOUD_EDS_SIGN_URL: `${provider.base}/sandbox/sign`,
    TRUST_ANCHORS_FILE: caFile,
    ROUND_POLL_SECONDS: '30',
    DATABASE_APPLICATION_NAME: 'kezek',
  });
  const app = kezek.app;
  const config = kezek.config;
  const base = kezek.base;

  // The organisation's provider account, set up the way an operator does: `kezek sandbox org create`.
  const { organisation, apiKey } = await app.get(OrganisationsService).createOrganisation('Bench');
  const account = JSON.parse(
    execFileSync(process.execPath, [CLI, 'sandbox', 'org', 'create', '--name', 'Bench', '--webhook-url', `${base}/v1/provider-webhooks/cloud-eds/${organisation.id}`, '--json'], {
      env: { ...process.env, DATABASE_URL: database.url, SECRETS_KEY: SECRETS, MIGRATIONS_RUN: 'false', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    }),
  ) as { apiKey: string; webhookSecret: string };
  const box = new SecretBox(config.secretsKey);
  await app.get(DataSource).getRepository(Organisation).update(
    { id: organisation.id },
    { providerApiKeySealed: box.seal(account.apiKey), providerWebhookSecretSealed: box.seal(account.webhookSecret) },
  );
  const providerKey = account.apiKey;
  const auth = { Authorization: `Bearer ${apiKey.key}`, 'Content-Type': 'application/json' };

  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawText('Bench contract', { x: 50, y: 780, size: 16, font: await pdf.embedFont(StandardFonts.Helvetica) });
  const document = Buffer.from(await pdf.save()).toString('base64');

  const handoffs: number[] = [];
  let rounds = 0;

  async function runEnvelope(index: number): Promise<void> {
    const body = {
      title: `Bench ${index}`,
      documents: [{ name: 'contract.pdf', contentBase64: document }],
      signers: Array.from({ length: SIGNERS }, (_, i) => ({ fullName: `Signer ${i}`, iin: IIN_POOL[(((index * SIGNERS + i) % IIN_POOL.length) + IIN_POOL.length) % IIN_POOL.length], phone: '77011234567', routingOrder: i + 1 })),
      send: true,
    };
    const created = await fetch(`${base}/v1/envelopes`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    const envelope = (await created.json()) as { id: string; signers: { link: string }[] };
    let finishedAt: number | undefined;
    for (let i = 0; i < SIGNERS; i++) {
      const link = envelope.signers[i].link;
      const sign = await fetch(`${link}/sign`, { method: 'POST', redirect: 'manual' });
      if (sign.status !== 303) throw new Error(`sign: ${sign.status} ${await sign.text()}`);
      if (finishedAt !== undefined) handoffs.push(performance.now() - finishedAt);
      const signPage = new URL(sign.headers.get('location')!);
      const sessionId = signPage.searchParams.get('session')!;
      const completed = await fetch(`${provider.base}/sandbox/automation/sessions/${sessionId}/complete`, {
        method: 'POST',
        headers: { 'x-api-key': providerKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ outcome: 'sign', redirectUrl: signPage.searchParams.get('redirect_url') }),
      });
      if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${await completed.text()}`);
      finishedAt = performance.now();
      const { redirect_url: redirectUrl } = (await completed.json()) as { redirect_url: string };
      const returned = await fetch(redirectUrl);
      if (returned.status !== 200) throw new Error(`return: ${returned.status}`);
      rounds++;
    }
    const final = (await (await fetch(`${base}/v1/envelopes/${envelope.id}`, { headers: auth })).json()) as { status: string };
    if (final.status !== 'COMPLETED') throw new Error(`envelope ${envelope.id} ended ${final.status}`);
  }

  // Warm-up: issue every certificate of the pool once, outside the measurement.
  for (let i = 0; i < IIN_POOL.length / SIGNERS; i++) await runEnvelope(-1 - i);
  handoffs.length = 0;
  rounds = 0;
  statements.clear();
  profile.clear();

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ENVELOPES) await runEnvelope(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const kezekStatements = [...statements.entries()].filter(([name]) => name.startsWith('kezek')).reduce((a, [, n]) => a + n, 0);

  await app.close();
  provider.process.kill('SIGTERM');
  await new Promise((resolve) => provider.process.once('exit', resolve));

  // Baseline: the same PostgreSQL, single-row UPDATE transactions over one pool of the same concurrency.
  const pool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY, application_name: 'baseline' });
  // Connections still closing when the embedded server stops report it; nothing is lost by then.
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, n bigint NOT NULL)');
  await pool.query('INSERT INTO bench_counter SELECT g, 0 FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING');
  let transactions = 0;
  const baselineEnd = performance.now() + 5000;
  const baselineStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < baselineEnd) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE bench_counter SET n = n + 1 WHERE id = $1', [1 + Math.floor(Math.random() * 1000)]);
          await client.query('COMMIT');
          transactions++;
        } finally {
          client.release();
        }
      }
    }),
  );
  const baselineTps = transactions / ((performance.now() - baselineStart) / 1000);
  await pool.end();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...handoffs].sort((a, b) => a - b);
  const roundsPerSecond = rounds / seconds;
  const lines = [
    `envelopes=${ENVELOPES} signers=${SIGNERS} concurrency=${CONCURRENCY} seconds=${seconds.toFixed(1)}`,
    `envelopes/s=${(ENVELOPES / seconds).toFixed(2)} rounds/s=${roundsPerSecond.toFixed(2)}`,
    `handoff (provider FINISHED -> next signer's session ready) p50=${percentile(sorted, 50).toFixed(1)}ms p99=${percentile(sorted, 99).toFixed(1)}ms`,
    `sql statements per round (Kezek's own, the provider's not counted): ${(kezekStatements / rounds).toFixed(1)}`,
    `baseline single-row UPDATE transactions/s=${baselineTps.toFixed(0)}`,
    `ratio=${(roundsPerSecond / baselineTps).toFixed(4)}`,
  ];
  if (process.env.BENCH_SQL_PROFILE) {
    for (const [text, n] of [...profile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${(n / rounds).toFixed(2).padStart(7)}  ${text}\n`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:flow failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
