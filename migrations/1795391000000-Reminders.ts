import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders every N days and mail to the sender on completion: the envelope's interval and sender address,
 * and a key that makes each scheduled reminder (and its retries) write its messages once.
 */
export class Reminders1795391000000 implements MigrationInterface {
  name = 'Reminders1795391000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE envelope ADD COLUMN reminder_interval_days int CHECK (reminder_interval_days BETWEEN 1 AND 30)`);
    await db.query(`ALTER TABLE envelope ADD COLUMN sender_email text`);
    await db.query(`ALTER TABLE notification ADD COLUMN dedupe_key text`);
    await db.query(`CREATE UNIQUE INDEX notification_dedupe_key_idx ON notification (dedupe_key) WHERE dedupe_key IS NOT NULL`);
    await db.query(`CREATE INDEX notification_signer_idx ON notification (signer_id, created_at DESC) WHERE signer_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notification_signer_idx`);
    await db.query(`DROP INDEX notification_dedupe_key_idx`);
    await db.query(`ALTER TABLE notification DROP COLUMN dedupe_key`);
    await db.query(`ALTER TABLE envelope DROP COLUMN sender_email`);
    await db.query(`ALTER TABLE envelope DROP COLUMN reminder_interval_days`);
  }
}
