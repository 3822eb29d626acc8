import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { EmbeddedDatabaseError, ensureDatabase } from './database/embedded-database.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await ensureDatabase({ databaseUrl: config.DATABASE_URL, dir: config.EMBEDDED_DB_DIR, port: config.EMBEDDED_DB_PORT, startTimeoutMs: config.EMBEDDED_DB_START_TIMEOUT_SECONDS * 1000 });
  const app = await NestFactory.create(AppModule.register({ config, databaseUrl: database.url }), { bufferLogs: true, rawBody: true });
  configureApp(app, config);
  // On Ctrl-C or a stop signal: finish requests and jobs, then stop the embedded database (if ours).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app
        .close()
        .then(() => database.stop())
        .finally(() => process.exit(0));
    });
  }
  await app.listen(config.PORT, config.HOST);

  const base = config.publicBaseUrl;
  const lines = [
    `Kezek is running (${config.embeddedDatabase ? `embedded PostgreSQL in ${config.EMBEDDED_DB_DIR}` : 'PostgreSQL from DATABASE_URL'})`,
    `  API docs:      ${base}/docs`,
    `  Health:        ${base}/health/ready`,
    ...(config.sandboxEnabled
      ? [`  Sandbox:       ${base}/sandbox (local Cloud EDS: sign page, CA ${base}/sandbox/ca.pem)`]
      : []),
    `  Cloud EDS API: ${config.cloudEdsBaseUrl}`,
    `  Verify:        ${base}/verify (drop a signed document to check it)`,
    `  Console:       ${base}/console (for legal teams; sign in as a user made with \`kezek user create\`)`,
    `  Next: create an organisation and its API key: npm run kezek -- org create --name "Acme"`,
    `        then a console user: npm run kezek -- user create --org <org id> --email you@acme.kz --role owner`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof EmbeddedDatabaseError) {
    process.stderr.write(`Kezek failed to start: ${error.message}\n`);
  } else {
    process.stderr.write(`Kezek failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
