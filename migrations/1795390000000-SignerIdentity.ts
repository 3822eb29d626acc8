import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity before signing: what each signer must pass (liveness, face match, the state ID from E-Document;
 * the integrator's reference photo sealed) and one row per attempt, i.e. per provider flow session, with its
 * PII-minimised outcome and the provider's signed PDF reports.
 */
export class SignerIdentity1795390000000 implements MigrationInterface {
  name = 'SignerIdentity1795390000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE signer_identity (
        signer_id uuid PRIMARY KEY REFERENCES signer(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        checks text[] NOT NULL CHECK (cardinality(checks) BETWEEN 1 AND 3 AND checks <@ ARRAY['liveness', 'face2face', 'edocument']),
        edocument_type text,
        photo_sealed text,
        max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX signer_identity_envelope ON signer_identity (envelope_id)`);
    await db.query(`
      CREATE TABLE identity_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        signer_id uuid NOT NULL REFERENCES signer(id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        session_id text NOT NULL,
        technologies text[] NOT NULL,
        status text NOT NULL CHECK (status IN ('STARTED', 'PASSED', 'FAILED', 'EXPIRED')),
        failure_reason text,
        results jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        finished_at timestamptz,
        UNIQUE (signer_id, attempt),
        UNIQUE (session_id)
      )`);
    // One open flow session per signer at a time.
    await db.query(`CREATE UNIQUE INDEX identity_check_one_open ON identity_check (signer_id) WHERE status = 'STARTED'`);
    await db.query(`CREATE INDEX identity_check_envelope ON identity_check (envelope_id)`);
    // The provider's signed PDF report per technology of an attempt (evidence; its hash is in the audit chain).
    await db.query(`
      CREATE TABLE identity_report (
        check_id uuid NOT NULL REFERENCES identity_check(id) ON DELETE CASCADE,
        technology text NOT NULL,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        pdf bytea NOT NULL,
        sha256 text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (check_id, technology)
      )`);
    // Media the provider holds (liveness video, the state ID's face photo) is kept only when the organisation
    // opts in, sealed, and deleted after its retention period.
    await db.query(`ALTER TABLE kyc_credentials ADD COLUMN media_retention_days integer CHECK (media_retention_days BETWEEN 1 AND 3650)`);
    await db.query(`
      CREATE TABLE identity_media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        check_id uuid NOT NULL REFERENCES identity_check(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('liveness_video', 'edocument_face_photo')),
        content_type text NOT NULL,
        sealed text NOT NULL,
        sha256 text NOT NULL,
        size integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delete_after timestamptz NOT NULL,
        UNIQUE (check_id, kind)
      )`);
    await db.query(`CREATE INDEX identity_media_delete_after ON identity_media (delete_after)`);
    // The sandbox's flows can send technology.start / technology.end webhooks (the cabinet's webhook URL).
    await db.query(`ALTER TABLE sandbox.kyc_flow ADD COLUMN webhook_url text CHECK (length(webhook_url) <= 2000)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sandbox.kyc_flow DROP COLUMN webhook_url`);
    await db.query(`DROP TABLE identity_media`);
    await db.query(`ALTER TABLE kyc_credentials DROP COLUMN media_retention_days`);
    await db.query(`DROP TABLE identity_report`);
    await db.query(`DROP TABLE identity_check`);
    await db.query(`DROP TABLE signer_identity`);
  }
}
