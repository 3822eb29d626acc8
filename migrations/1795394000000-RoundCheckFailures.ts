import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open rounds are checked by a sweep that reads their rows (no poll job per round). The provider failures in a
 * row of a round's checks are kept on the round, so the sweep backs off from a provider that is down.
 */
export class RoundCheckFailures1795394000000 implements MigrationInterface {
  name = 'RoundCheckFailures1795394000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_round ADD COLUMN check_failures integer NOT NULL DEFAULT 0 CHECK (check_failures >= 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signing_round DROP COLUMN check_failures`);
  }
}
