import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signers may have an e-mail address; every message Kezek sends (or tried to send) is recorded. */
export class Notifications1795380000000 implements MigrationInterface {
  name = 'Notifications1795380000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signer ADD COLUMN email text`);
    await db.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        signer_id uuid REFERENCES signer(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('email', 'sms')),
        kind text NOT NULL CHECK (kind IN ('signer_turn', 'reminder', 'completed')),
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('QUEUED', 'SENT', 'FAILED')),
        transport text,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await db.query(`CREATE INDEX notification_organisation_idx ON notification (organisation_id, created_at DESC)`);
    await db.query(`CREATE INDEX notification_envelope_idx ON notification (envelope_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notification`);
    await db.query(`ALTER TABLE signer DROP COLUMN email`);
  }
}
