import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { loadConfig } from '../src/config/app-config.js';

/**
 * The sandbox CA's private key is sealed at rest (SecretBox under SECRETS_KEY) instead of kept in clear:
 * anyone who could read the database could otherwise issue certificates the sandbox trusts. An existing key
 * is sealed with the key the running configuration resolves (the same SECRETS_KEY / SECRETS_KEY_FILE the
 * app uses); a database without a CA row needs no key.
 */
export class SealSandboxCaKey1795361200000 implements MigrationInterface {
  name = 'SealSandboxCaKey1795361200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sandbox.ca ADD COLUMN private_key_sealed text`);
    const rows = (await db.query(`SELECT id, private_key_pkcs8 FROM sandbox.ca`)) as { id: number; private_key_pkcs8: Buffer }[];
    if (rows.length > 0) {
      const box = new SecretBox(loadConfig().secretsKey);
      for (const row of rows) {
        await db.query(`UPDATE sandbox.ca SET private_key_sealed = $2 WHERE id = $1`, [row.id, box.seal(row.private_key_pkcs8.toString('base64'))]);
      }
    }
    await db.query(`ALTER TABLE sandbox.ca ALTER COLUMN private_key_sealed SET NOT NULL`);
    await db.query(`ALTER TABLE sandbox.ca DROP COLUMN private_key_pkcs8`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sandbox.ca ADD COLUMN private_key_pkcs8 bytea`);
    const rows = (await db.query(`SELECT id, private_key_sealed FROM sandbox.ca`)) as { id: number; private_key_sealed: string }[];
    if (rows.length > 0) {
      const box = new SecretBox(loadConfig().secretsKey);
      for (const row of rows) {
        await db.query(`UPDATE sandbox.ca SET private_key_pkcs8 = $2 WHERE id = $1`, [row.id, Buffer.from(box.open(row.private_key_sealed), 'base64')]);
      }
    }
    await db.query(`ALTER TABLE sandbox.ca ALTER COLUMN private_key_pkcs8 SET NOT NULL`);
    await db.query(`ALTER TABLE sandbox.ca DROP COLUMN private_key_sealed`);
  }
}
