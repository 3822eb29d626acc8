import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Cloud EDS sandbox keeps its state in its own schema, apart from Kezek's tables: its organisations,
 * people, CA and per-IIN certificates, sessions with their documents, and pending webhook deliveries.
 */
export class Sandbox1795310000000 implements MigrationInterface {
  name = 'Sandbox1795310000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS sandbox`);
    await db.query(`
      CREATE TABLE sandbox.organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        api_key_prefix text NOT NULL UNIQUE,
        api_key_hash bytea NOT NULL,
        -- Stored in clear: the sandbox must sign every delivery with it (it is a sandbox secret, not a provider one).
        webhook_secret text NOT NULL,
        webhook_url text,
        mode text NOT NULL DEFAULT 'nest' CHECK (mode IN ('nest', 'cosign')),
        detached boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        faults jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.person (
        iin char(12) PRIMARY KEY,
        surname text NOT NULL,
        given_name text NOT NULL,
        patronymic text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.ca (
        id smallint PRIMARY KEY CHECK (id = 1),
        certificate_der bytea NOT NULL,
        private_key_pkcs8 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.certificate (
        iin char(12) PRIMARY KEY,
        subject_key text NOT NULL,
        certificate_der bytea NOT NULL,
        private_key_pkcs8 bytea NOT NULL,
        not_after timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES sandbox.organisation(id) ON DELETE CASCADE,
        iin char(12) NOT NULL,
        phone text NOT NULL,
        document_type text NOT NULL CHECK (document_type IN ('pdf', 'xml')),
        check_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        status text NOT NULL DEFAULT 'STARTED' CHECK (status IN ('STARTED', 'PROCESS', 'FINISHED', 'CANCELED')),
        failure_reason text CHECK (failure_reason IN ('EXPIRED', 'LIVENESS', 'FACE2FACE', 'EDOCUMENT', 'OTHER')),
        redirect_reason text,
        redirect_url text,
        language text,
        signed_as_iin char(12),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        opened_at timestamptz,
        ended_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX sandbox_session_open_idx ON sandbox.session (expires_at) WHERE status IN ('STARTED', 'PROCESS')`);
    await db.query(`CREATE INDEX sandbox_session_organisation_idx ON sandbox.session (organisation_id)`);
    await db.query(`
      CREATE TABLE sandbox.document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sandbox.session(id) ON DELETE CASCADE,
        position integer NOT NULL,
        name text NOT NULL,
        content bytea NOT NULL,
        sha256 bytea NOT NULL,
        sign bytea,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (session_id, position)
      )`);
    await db.query(`
      CREATE TABLE sandbox.webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES sandbox.organisation(id) ON DELETE CASCADE,
        session_id uuid NOT NULL,
        url text NOT NULL,
        body text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await db.query(`CREATE INDEX sandbox_webhook_due_idx ON sandbox.webhook_delivery (next_attempt_at) WHERE state = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP SCHEMA sandbox CASCADE`);
  }
}
