import { Organisations1795300000000 } from './1795300000000-Organisations.js';
import { Sandbox1795310000000 } from './1795310000000-Sandbox.js';

/** Every migration in order; listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [Organisations1795300000000, Sandbox1795310000000];
