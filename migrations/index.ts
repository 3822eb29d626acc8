import { Organisations1795300000000 } from './1795300000000-Organisations.js';

/** Every migration in order; listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [Organisations1795300000000];
