import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider calls outside row locks: a round is reserved (status STARTING, no session yet) under the envelope
 * and signer locks, the provider is called after the commit, and the session is recorded afterwards. The
 * one-live-session index now covers reservations too.
 *
 * Envelope list cursors: created_at keeps milliseconds (what a cursor carries), so a page boundary inside
 * one millisecond loses no row; ties are broken by id.
 */
export class SigningRoundReservations1795350000000 implements MigrationInterface {
  name = 'SigningRoundReservations1795350000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_round ALTER COLUMN session_id DROP NOT NULL, ALTER COLUMN check_id DROP NOT NULL`);
    await db.query(`DROP INDEX signing_round_one_live_per_signer`);
    await db.query(`CREATE UNIQUE INDEX signing_round_one_live_per_signer ON signing_round (signer_id) WHERE status IN ('STARTING', 'STARTED', 'PROCESS')`);
    await db.query(`ALTER TABLE envelope ALTER COLUMN created_at TYPE timestamptz(3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE envelope ALTER COLUMN created_at TYPE timestamptz`);
    await db.query(`DELETE FROM signing_round WHERE session_id IS NULL`);
    await db.query(`DROP INDEX signing_round_one_live_per_signer`);
    await db.query(`CREATE UNIQUE INDEX signing_round_one_live_per_signer ON signing_round (signer_id) WHERE status IN ('STARTED', 'PROCESS')`);
    await db.query(`ALTER TABLE signing_round ALTER COLUMN session_id SET NOT NULL, ALTER COLUMN check_id SET NOT NULL`);
  }
}
