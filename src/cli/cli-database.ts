import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { ensureDatabase } from '../database/embedded-database.js';
import { typeormOptions } from '../database/typeorm-options.js';

/**
 * Opens the same database the server uses (sharing a running embedded server, or starting it), runs `work`,
 * and closes everything again.
 */
export async function withDatabase<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await ensureDatabase({ databaseUrl: config.DATABASE_URL, dir: config.EMBEDDED_DB_DIR, port: config.EMBEDDED_DB_PORT, startTimeoutMs: config.EMBEDDED_DB_START_TIMEOUT_SECONDS * 1000 });
  const db = new DataSource(typeormOptions(database.url, config.runMigrations));
  try {
    await db.initialize();
    if (config.runMigrations) await db.runMigrations({ transaction: 'each' });
    return await work(db);
  } finally {
    if (db.isInitialized) await db.destroy();
    await database.stop();
  }
}
