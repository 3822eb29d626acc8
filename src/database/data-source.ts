import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { typeormOptions } from './typeorm-options.js';

/** For the `typeorm` CLI (`npm run migration:run|revert|generate`): needs DATABASE_URL. */
const config = loadConfig();
if (!config.DATABASE_URL) {
  throw new Error('DATABASE_URL: set it to the server to migrate (the embedded database migrates itself at start)');
}
export default new DataSource(typeormOptions(config.DATABASE_URL, false));
