import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { typeormOptions } from '../../src/database/typeorm-options.js';

const TEMPLATE = 'kezek_test_template';
const TEMPLATE_LOCK = 7_345_001;

function adminUrl(): string {
  const url = process.env.KEZEK_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('The jest global setup did not provide a database (KEZEK_TEST_ADMIN_URL)');
  return url;
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a copy of a template that the real migrations built once per run.
 * Copies are cheap (a file copy inside PostgreSQL) and keep test files from seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  const name = `kezek_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (!rowCount) {
        await admin.query(`CREATE DATABASE ${TEMPLATE}`);
        const migrator = new DataSource(typeormOptions(databaseUrl(TEMPLATE), false));
        await migrator.initialize();
        await migrator.runMigrations({ transaction: 'each' });
        await migrator.destroy();
      }
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
