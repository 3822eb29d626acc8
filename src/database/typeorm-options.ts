import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

/** One definition of how Kezek talks to PostgreSQL, shared by the app, the CLI, the tests and `typeorm` CLI. */
export function typeormOptions(url: string, runMigrations: boolean, applicationName = 'kezek'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: runMigrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: 20,
      application_name: applicationName,
      // A lock wait ends in an error after 15 s instead of hanging a request or a job.
      options: '-c lock_timeout=15000',
    },
  };
}
