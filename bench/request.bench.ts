/**
 * bench:request — what one HTTP request costs Kezek in CPU, by route, at the production log level (info: a
 * line per request), against a bare node:http server answering the same client on the same machine in the
 * same run. Kezek and the bare server each run in a process of their own, and their CPU is read from /proc,
 * so the client's own work is not counted.
 *
 *   npm run bench:request
 *   BENCH_REQUESTS=5000 npm run bench:request
 *
 * Last line: ratio=<bare server ms per request / Kezek ms per request> for the API route (an authenticated
 * GET /v1/envelopes?limit=1: the key checked, one query): the share of a request's CPU that is the request.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/cms/testing/local-pki.js';
import { ensureDatabase } from '../src/database/embedded-database.js';
import { processCpuMs, waitUntilUp } from './child-processes.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARM_UP = 300;
const SECRETS = randomBytes(32).toString('base64');
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/kezek.js', import.meta.url));

/** The bare baseline: node:http answering a small JSON body, nothing else. */
const BARE_SERVER = `
  const { createServer } = require('node:http');
  createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"items":[],"nextCursor":null}'); })
    .listen(Number(process.env.PORT), '127.0.0.1', () => process.send && process.send('ready'));
`;

/** The server process's CPU per request over `REQUESTS` sequential requests (after a warm-up). */
async function cpuPerRequest(pid: number | undefined, url: string, headers: Record<string, string>, expectStatus: number): Promise<number> {
  const call = async () => {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== expectStatus) throw new Error(`${url}: ${response.status}, expected ${expectStatus}`);
  };
  for (let i = 0; i < WARM_UP; i++) await call();
  const before = processCpuMs(pid);
  for (let i = 0; i < REQUESTS; i++) await call();
  return (processCpuMs(pid) - before) / REQUESTS;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kezek-bench-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const database = await ensureDatabase({ databaseUrl: process.env.DATABASE_URL, dir: join(dataDir, 'pg'), port: 54000 + Math.floor(Math.random() * 900) });
  const children: ChildProcess[] = [];
  try {
    const kezekPort = await freePort();
    const kezekBase = `http://127.0.0.1:${kezekPort}`;
    const kezek = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SECRETS_KEY: SECRETS,
        MIGRATIONS_RUN: 'true',
        SANDBOX_ENABLED: 'false',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(kezekPort),
        PUBLIC_BASE_URL: kezekBase,
      },
      // Its request lines are written as in production, to a pipe nobody reads but the OS.
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(kezek);
    await waitUntilUp(kezek, `${kezekBase}/health`);
    const { apiKey } = JSON.parse(
      execFileSync(process.execPath, [CLI, 'org', 'create', '--name', 'Bench', '--json'], {
        env: { ...process.env, DATABASE_URL: database.url, SECRETS_KEY: SECRETS, MIGRATIONS_RUN: 'false', LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      }),
    ) as { apiKey: { key: string } };

    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', BARE_SERVER], { env: { ...process.env, PORT: String(barePort) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    children.push(bare);
    await waitUntilUp(bare, `http://127.0.0.1:${barePort}/`);

    const auth = { Authorization: `Bearer ${apiKey.key}` };
    const health = await cpuPerRequest(kezek.pid, `${kezekBase}/health`, {}, 200);
    const page404 = await cpuPerRequest(kezek.pid, `${kezekBase}/s/not-a-link`, {}, 404);
    const api = await cpuPerRequest(kezek.pid, `${kezekBase}/v1/envelopes?limit=1`, auth, 200);
    const baseline = await cpuPerRequest(bare.pid, `http://127.0.0.1:${barePort}/v1/envelopes?limit=1`, auth, 200);
    process.stdout.write(
      [
        `requests per route=${REQUESTS} (sequential, one client; Kezek at LOG_LEVEL=info)`,
        `kezek cpu ms per request: GET /health=${health.toFixed(3)} (not logged: a polled route)`,
        `kezek cpu ms per request: GET /s/<unknown link>=${page404.toFixed(3)} (a 404 page, logged)`,
        `kezek cpu ms per request: GET /v1/envelopes?limit=1=${api.toFixed(3)} (API key, one query, logged)`,
        `baseline bare node:http cpu ms per request=${baseline.toFixed(3)}`,
        `ratio=${(baseline / api).toFixed(4)}`,
      ].join('\n') + '\n',
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
