import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Archive intake starts right after a round's check; a sweep every minute looks for FINISHED rounds of the last
 * day whose archive is not kept. This index keeps that sweep to those rounds, however many rounds there are.
 */
export class RoundFinishedIndex1795395000000 implements MigrationInterface {
  name = 'RoundFinishedIndex1795395000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX signing_round_finished_idx ON signing_round (finished_at) WHERE status = 'FINISHED'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX signing_round_finished_idx`);
  }
}
