import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The instance seal of evidence packs when none is configured: one generated identity, its key sealed (SecretBox). */
export class EvidenceSeal1795361300000 implements MigrationInterface {
  name = 'EvidenceSeal1795361300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE evidence_seal (
        id smallint PRIMARY KEY CHECK (id = 1),
        certificate_der bytea NOT NULL,
        private_key_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE evidence_seal`);
  }
}
