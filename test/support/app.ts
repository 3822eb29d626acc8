import type { INestApplication, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/bootstrap.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { OrganisationsService } from '../../src/organisations/organisations.service.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  database: TestDatabase;
  db: DataSource;
  /** The listening server's base URL (the app listens on an ephemeral loopback port). */
  baseUrl: string;
  /** Closes the app and drops its database. */
  close(): Promise<void>;
  /** Closes the app but keeps the database, for a restart on the same data. */
  stop(): Promise<void>;
}

/** One key per test process, so an app restarted on the same database can read what it sealed. */
export const TEST_SECRETS_KEY = randomBytes(32).toString('base64');

/**
 * The whole application over HTTP on its own fresh database, configured like production apart from
 * `env` overrides. Nothing is mocked.
 */
export async function startTestApp(env: Record<string, string> = {}, extra: { providers?: Provider[]; database?: TestDatabase } = {}): Promise<TestApp> {
  const database = extra.database ?? (await createTestDatabase());
  // TEST_LOG_LEVEL=warn (or debug) shows the app's logs while a test runs.
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', NODE_ENV: 'test', PORT: '0', SECRETS_KEY: TEST_SECRETS_KEY, ...env, DATABASE_URL: database.url, MIGRATIONS_RUN: 'false' });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register({ config, databaseUrl: database.url })], providers: extra.providers ?? [] }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true, rawBody: true });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  config.publicBaseUrl = env.PUBLIC_BASE_URL ?? baseUrl;
  return {
    app,
    config,
    database,
    db: app.get(DataSource),
    baseUrl,
    close: async () => {
      await app.close();
      await database.drop();
    },
    stop: () => app.close(),
  };
}

/** Creates an organisation the way the CLI does and returns its id and API key. */
export async function createOrganisation(testApp: TestApp, name = 'Acme'): Promise<{ id: string; key: string }> {
  const { organisation, apiKey } = await testApp.app.get(OrganisationsService).createOrganisation(name);
  return { id: organisation.id, key: apiKey.key };
}
