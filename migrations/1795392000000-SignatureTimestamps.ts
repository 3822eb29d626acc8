import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The RFC 3161 token Kezek obtained over an accepted signature (TSA_URL), kept with the round's result. */
export class SignatureTimestamps1795392000000 implements MigrationInterface {
  name = 'SignatureTimestamps1795392000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE round_document ADD COLUMN timestamp_token bytea`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE round_document DROP COLUMN timestamp_token`);
  }
}
