import { ApiKey } from '../organisations/api-key.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { sandboxEntities } from '../sandbox/sandbox.entities.js';

/** Every TypeORM entity; a feature adds its entities here. */
export const entities = [Organisation, ApiKey, ...sandboxEntities];
