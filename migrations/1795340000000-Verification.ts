import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification and evidence: each FINISHED round's provider archive and the files in it (by DocumentId
 * and SHA-256), and the per-IP counters of the public verification endpoints.
 */
export class Verification1795340000000 implements MigrationInterface {
  name = 'Verification1795340000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per FINISHED round from the moment intake starts (PENDING), so the check_id page works and a
    // missing archive is visible until the provider's zip is STORED (or REFUSED as unsafe, bytes kept).
    await db.query(`
      CREATE TABLE round_archive (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL UNIQUE REFERENCES signing_round(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        session_id text NOT NULL,
        check_id text NOT NULL,
        check_id_sha256 text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'STORED', 'REFUSED')),
        zip bytea,
        sha256 text,
        size int,
        refusal text,
        created_at timestamptz NOT NULL DEFAULT now(),
        stored_at timestamptz,
        CHECK (status = 'PENDING' OR (zip IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX round_archive_check_idx ON round_archive (check_id_sha256)`);
    await db.query(`CREATE INDEX round_archive_envelope_idx ON round_archive (envelope_id, created_at)`);

    await db.query(`
      CREATE TABLE archive_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        archive_id uuid NOT NULL REFERENCES round_archive(id) ON DELETE CASCADE,
        round_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        envelope_id uuid NOT NULL,
        document_id uuid REFERENCES envelope_document(id) ON DELETE CASCADE,
        check_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        provider_document_id text,
        sha256 text NOT NULL,
        size int NOT NULL,
        content bytea NOT NULL,
        UNIQUE (archive_id, name)
      )`);
    await db.query(`CREATE INDEX archive_file_sha256_idx ON archive_file (sha256)`);
    await db.query(`CREATE INDEX archive_file_provider_document_idx ON archive_file (provider_document_id)`);

    // Fixed one-minute windows per bucket (a hash of the client IP); old windows are deleted as they pass.
    await db.query(`
      CREATE TABLE rate_limit_hit (
        bucket text NOT NULL,
        window_start timestamptz NOT NULL,
        hits int NOT NULL,
        PRIMARY KEY (bucket, window_start)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limit_hit`);
    await db.query(`DROP TABLE archive_file`);
    await db.query(`DROP TABLE round_archive`);
  }
}
