/**
 * bench:flow — N envelopes × 3 sequential signers end to end against the local sandbox (sessions completed
 * through its automation endpoint), on real PostgreSQL, over real HTTP on loopback. Three processes: Kezek
 * (this one: the figures below are its own), the provider sandbox, and the load driver (flow-driver.ts), so
 * neither the provider's signatures nor the driver's requests are counted as Kezek's CPU. In the same run it
 * measures the database's own baseline: single-row UPDATE transactions per second over one pool.
 *
 *   npm run bench:flow                 # 300 envelopes
 *   BENCH_ENVELOPES=50 npm run bench:flow
 *   BENCH_SQL_PROFILE=1 …              # also Kezek's statements per round by text (costs some CPU itself)
 *   BENCH_SQL_PROFILE=1 BENCH_SQL_STACK='"SigningRound"|"Signer"' …  # and who sends the statements containing these texts
 *   BENCH_SQL_DEPTH=5 …                # with that many of Kezek's own frames (default 3)
 *   BENCH_CPU_PROFILE=flow.cpuprofile …  # a V8 CPU profile of Kezek over the measured window only
 *   BENCH_SANDBOX_CPU_PROFILE=dir …      # a V8 CPU profile of the sandbox process (whole run), written to dir
 *   BENCH_CPU_PROFILE=f BENCH_IDLE_PROFILE=idle.cpuprofile …  # and one of Kezek at rest before the run
 *   BENCH_IDLE_MS=10000 …               # Kezek's CPU at rest measured for that long (default 3000)
 *
 * The measured window runs from the driver's start to the moment no job is left to run (archive intake and
 * webhook jobs of the last rounds included). Last line: ratio=<(1000 / kezek cpu ms per round) / baseline
 * transactions per s>: how many rounds one core of Kezek does in the time the database does one transaction.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/bootstrap.js';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { loadConfig } from '../src/config/app-config.js';
import { ensureDatabase } from '../src/database/embedded-database.js';
import { freePort } from '../src/cms/testing/local-pki.js';
import { processCpuMs, processTreeCpuMs, threadCpuMs, waitUntilUp } from './child-processes.js';
import { OrganisationsService } from '../src/organisations/organisations.service.js';
import { Organisation } from '../src/organisations/organisation.entity.js';
import { DataSource } from 'typeorm';
import type { DriverMessage, DriverSettings } from './flow-driver.js';

const ENVELOPES = Number(process.env.BENCH_ENVELOPES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SIGNERS = 3;
/** How long Kezek's CPU at rest is measured for, before the run. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 3000);
let idleCpuMsPerSecond = Number.NaN;
/** Counts every SQL statement the process sends, by the application_name of the connection. */
const statements = new Map<string, number>();
const profile = new Map<string, number>();
const callers = new Map<string, number>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client & { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
  const name = this.connectionParameters?.application_name ?? 'other';
  statements.set(name, (statements.get(name) ?? 0) + 1);
  if (process.env.BENCH_SQL_PROFILE && name.startsWith('kezek')) {
    const first = args[0] as string | { text?: string };
    const full = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ');
    // Job queue statements differ by queue only far into their text.
    const queue = full.includes('pgboss.') ? / name = '([^']+)'/.exec(full)?.[1] : undefined;
    const text = `${full.slice(0, 90)}${queue ? ` [${queue}]` : ''}`;
    profile.set(text, (profile.get(text) ?? 0) + 1);
    if (process.env.BENCH_SQL_STACK && process.env.BENCH_SQL_STACK.split('|').some((part) => text.includes(part))) {
      // Which of Kezek's own functions sent it: the first frames in src/ (BENCH_SQL_DEPTH).
      const frames = (new Error().stack ?? '').split('\n').filter((line) => line.includes('/src/')).slice(0, Number(process.env.BENCH_SQL_DEPTH ?? 3));
      const where = frames.map((line) => line.trim().replace(/^at /, '').replace(/\(.*\/src\//, '(')).join(' < ');
      const key = `${text.slice(0, 30)} ${where}`;
      callers.set(key, (callers.get(key) ?? 0) + 1);
    }
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
  // BENCH_SANDBOX_CPU_PROFILE=dir: the sandbox's own V8 CPU profile, written there when it exits.
  const profiling = process.env.BENCH_SANDBOX_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SANDBOX_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profiling, MAIN], {
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
  try {
    await waitUntilUp(child, `${base}/health/ready`, (response) => response.ok);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { process: child, base };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kezek-bench-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const databaseDir = join(dataDir, 'pg');
  const database = await ensureDatabase({ databaseUrl: process.env.DATABASE_URL, dir: databaseDir, port: 54000 + Math.floor(Math.random() * 900) });
  // The provider (the sandbox) runs in a process of its own, as the real one runs elsewhere: its CPU work
  // (RSA signatures, archive pages) does not share Kezek's event loop.
  const provider = await startProviderProcess(database.url);
  // The embedded server's postmaster, whose process tree is the database's CPU (unknown for a DATABASE_URL).
  const postmasterFile = join(databaseDir, 'postmaster.pid');
  const postgresPid = existsSync(postmasterFile) ? Number(readFileSync(postmasterFile, 'utf8').split('\n')[0]) : undefined;
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
  const settings: DriverSettings = {
    base,
    providerBase: provider.base,
    providerKey: account.apiKey,
    apiKey: apiKey.key,
    envelopes: ENVELOPES,
    concurrency: CONCURRENCY,
    signers: SIGNERS,
  };

  // Jobs still to run (archive intake, webhooks, round checks) belong to the rounds that queued them.
  const monitor = new pg.Client({ connectionString: database.url, application_name: 'bench-monitor' });
  await monitor.connect();
  const drained = async () => {
    for (let quiet = 0; quiet < 2; ) {
      const [{ n }] = (
        await monitor.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`)
      ).rows;
      quiet = n === 0 ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const profiler = process.env.BENCH_CPU_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
  }
  const driver = fork(fileURLToPath(new URL('./flow-driver.js', import.meta.url)), [], {
    env: { ...process.env, BENCH_DRIVER_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let threadsAtStart = new Map<string, number>();
  let measureStart = { kezek: process.cpuUsage(), provider: processCpuMs(provider.process.pid), postgres: processTreeCpuMs(postgresPid), driver: 0, at: performance.now() };
  const result = await new Promise<{ rounds: number; handoffs: number[]; cpuMs: number }>((resolve, reject) => {
    driver.on('exit', (code) => reject(new Error(`the driver exited with ${code} before it finished`)));
    driver.on('message', (message: DriverMessage) => {
      if (message.type === 'failed') reject(new Error(message.message));
      if (message.type === 'done') resolve(message);
      if (message.type === 'warm') {
        void drained()
          .then(async () => {
            // Kezek at rest (queue polls, sweeps, timers): a cost per second, not per round.
            if (process.env.BENCH_IDLE_PROFILE && profiler) await profiler.post('Profiler.start');
            const idleFrom = { cpu: process.cpuUsage(), at: performance.now() };
            await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
            const idle = process.cpuUsage(idleFrom.cpu);
            idleCpuMsPerSecond = (idle.user + idle.system) / (performance.now() - idleFrom.at);
            if (process.env.BENCH_IDLE_PROFILE && profiler) {
              const { profile: idleProfile } = await profiler.post('Profiler.stop');
              writeFileSync(process.env.BENCH_IDLE_PROFILE, JSON.stringify(idleProfile));
            }
          })
          .then(() => {
            statements.clear();
            profile.clear();
            callers.clear();
            measureStart = { kezek: process.cpuUsage(), provider: processCpuMs(provider.process.pid), postgres: processTreeCpuMs(postgresPid), driver: message.cpuMs, at: performance.now() };
            threadsAtStart = threadCpuMs();
            if (profiler) void profiler.post('Profiler.start');
            driver.send({ type: 'go' });
          }, reject);
      }
    });
  });
  const driverCpuMs = result.cpuMs - measureStart.driver;
  const seconds = (performance.now() - measureStart.at) / 1000;
  await drained();
  const drainSeconds = (performance.now() - measureStart.at) / 1000 - seconds;
  const kezekCpu = process.cpuUsage(measureStart.kezek);
  const threads = [...threadCpuMs()].map(([name, ms]) => [name, ms - (threadsAtStart.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0);
  if (profiler) {
    const { profile: cpuProfile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(cpuProfile));
    profiler.disconnect();
  }
  const kezekCpuMs = (kezekCpu.user + kezekCpu.system) / 1000;
  const providerCpuMs = processCpuMs(provider.process.pid) - measureStart.provider;
  // The database serves the sandbox too, and the monitor's polls: its CPU is the machine's, not Kezek's.
  const postgresCpuMs = processTreeCpuMs(postgresPid) - measureStart.postgres;
  const kezekStatements = [...statements.entries()].filter(([name]) => name.startsWith('kezek')).reduce((a, [, n]) => a + n, 0);
  const { rounds, handoffs } = result;
  await monitor.end();

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

  const sorted = [...handoffs].sort((x, y) => x - y);
  const kezekMsPerRound = kezekCpuMs / rounds;
  const lines = [
    `envelopes=${ENVELOPES} signers=${SIGNERS} concurrency=${CONCURRENCY} seconds=${seconds.toFixed(1)} (wall time: the machine may be shared), then ${drainSeconds.toFixed(1)} s until no job was due`,
    `envelopes/s=${(ENVELOPES / seconds).toFixed(2)} rounds/s=${(rounds / seconds).toFixed(2)}`,
    `handoff (provider FINISHED -> next signer's session ready) p50=${percentile(sorted, 50).toFixed(1)}ms p99=${percentile(sorted, 99).toFixed(1)}ms`,
    `sql statements per round (Kezek's own, the provider's not counted): ${(kezekStatements / rounds).toFixed(1)}`,
    `sandbox cpu ms per round=${(providerCpuMs / rounds).toFixed(2)}`,
    `driver cpu ms per round=${(driverCpuMs / rounds).toFixed(2)} (not counted as Kezek's)`,
    `kezek cpu ms per round=${kezekMsPerRound.toFixed(2)} (user ${(kezekCpu.user / 1000 / rounds).toFixed(2)}, system ${(kezekCpu.system / 1000 / rounds).toFixed(2)})`,
    `postgres cpu ms per round=${(postgresCpuMs / rounds).toFixed(2)} (the embedded server's processes, serving Kezek and the sandbox)`,
    `machine cpu ms per round=${((kezekCpuMs + providerCpuMs + driverCpuMs + postgresCpuMs) / rounds).toFixed(2)} (Kezek, sandbox, driver and postgres: at most ${((availableParallelism() * 1000 * rounds) / (kezekCpuMs + providerCpuMs + driverCpuMs + postgresCpuMs)).toFixed(1)} rounds/s on ${availableParallelism()} cores)`,
    `kezek cpu ms per round by thread: ${threads
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name}=${(ms / rounds).toFixed(2)}`)
      .join(' ')}`,
    `kezek idle cpu ms per second=${idleCpuMsPerSecond.toFixed(2)} (at rest before the run: queue polls, sweeps, timers)`,
    `baseline single-row UPDATE transactions/s=${baselineTps.toFixed(0)}`,
    `ratio=${(1000 / kezekMsPerRound / baselineTps).toFixed(4)}`,
  ];
  if (process.env.BENCH_SQL_PROFILE) {
    for (const [text, n] of [...profile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${(n / rounds).toFixed(2).padStart(7)}  ${text}\n`);
    for (const [where, n] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${(n / rounds).toFixed(2).padStart(7)}  from ${where}\n`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:flow failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
