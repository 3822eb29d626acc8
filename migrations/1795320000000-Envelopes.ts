import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Envelopes1795320000000 implements MigrationInterface {
  name = 'Envelopes1795320000000';

  async up(db: QueryRunner): Promise<void> {
    // The organisation's own Cloud EDS credentials, sealed with SECRETS_KEY.
    await db.query(`
      ALTER TABLE organisation
        ADD COLUMN provider_api_key_sealed text,
        ADD COLUMN provider_webhook_secret_sealed text`);

    await db.query(`
      CREATE TABLE envelope (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        title text NOT NULL,
        document_type text NOT NULL CHECK (document_type IN ('pdf', 'xml')),
        status text NOT NULL,
        status_reason text,
        machine_state jsonb NOT NULL,
        machine_version int NOT NULL,
        language text NOT NULL CHECK (language IN ('kz', 'en', 'ru')),
        redirect_url text,
        max_attempts int NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
        expires_at timestamptz NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX envelope_listing_idx ON envelope (organisation_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX envelope_status_idx ON envelope (organisation_id, status, created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE envelope_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        position int NOT NULL,
        name text NOT NULL,
        size int NOT NULL,
        sha256 text NOT NULL,
        content bytea NOT NULL,
        UNIQUE (envelope_id, position)
      )`);
    await db.query(`CREATE INDEX envelope_document_sha256_idx ON envelope_document (sha256)`);

    await db.query(`
      CREATE TABLE signer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        position int NOT NULL,
        full_name text NOT NULL,
        iin text NOT NULL CHECK (iin ~ '^[0-9]{12}$'),
        phone text NOT NULL CHECK (phone ~ '^77[0-9]{9}$'),
        routing_order int NOT NULL,
        status text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        link_token_hash bytea NOT NULL UNIQUE,
        link_token_sealed text NOT NULL,
        activated_at timestamptz,
        signed_at timestamptz,
        declined_at timestamptz,
        decline_reason text,
        failed_at timestamptz,
        last_opened_at timestamptz,
        UNIQUE (envelope_id, position)
      )`);
    await db.query(`CREATE INDEX signer_envelope_idx ON signer (envelope_id)`);

    await db.query(`
      CREATE TABLE signing_round (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL,
        envelope_id uuid NOT NULL REFERENCES envelope(id) ON DELETE CASCADE,
        signer_id uuid NOT NULL REFERENCES signer(id) ON DELETE CASCADE,
        attempt int NOT NULL,
        routing_order int NOT NULL,
        session_id text NOT NULL UNIQUE,
        check_id text NOT NULL,
        uploads jsonb NOT NULL,
        status text NOT NULL,
        machine_state jsonb NOT NULL,
        machine_version int NOT NULL,
        failure_reason text,
        rejection_reason text,
        rejection_message text,
        redirect_status text,
        redirect_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        finished_at timestamptz,
        last_checked_at timestamptz
      )`);
    // Never two live provider sessions for one signer, whatever races above this.
    await db.query(`CREATE UNIQUE INDEX signing_round_one_live_per_signer ON signing_round (signer_id) WHERE status IN ('STARTED', 'PROCESS')`);
    await db.query(`CREATE INDEX signing_round_envelope_idx ON signing_round (envelope_id, created_at)`);
    await db.query(`CREATE INDEX signing_round_check_idx ON signing_round (check_id)`);

    // Each document of a FINISHED round: the CMS the provider returned and what verification found.
    await db.query(`
      CREATE TABLE round_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES signing_round(id) ON DELETE CASCADE,
        document_id uuid NOT NULL REFERENCES envelope_document(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        provider_document_id text NOT NULL,
        cms bytea NOT NULL,
        cms_sha256 text NOT NULL,
        report jsonb NOT NULL,
        accepted boolean NOT NULL,
        signer_iin text,
        signer_name text,
        certificate_serial text,
        certificate_issuer text,
        signing_time timestamptz,
        UNIQUE (round_id, document_id)
      )`);
    await db.query(`CREATE INDEX round_document_cms_sha256_idx ON round_document (cms_sha256)`);

    // The input each routing group signed produces the next input: the group's (merged) CMS per document.
    await db.query(`
      CREATE TABLE document_signature (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES envelope_document(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        routing_order int NOT NULL,
        cms bytea NOT NULL,
        cms_sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (document_id, routing_order)
      )`);
    await db.query(`CREATE INDEX document_signature_cms_sha256_idx ON document_signature (cms_sha256)`);

    await db.query(`
      CREATE TABLE idempotency_key (
        organisation_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, key)
      )`);

    await db.query(`
      CREATE TABLE provider_webhook_receipt (
        organisation_id uuid NOT NULL,
        webhook_id text NOT NULL,
        session_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, webhook_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['provider_webhook_receipt', 'idempotency_key', 'document_signature', 'round_document', 'signing_round', 'signer', 'envelope_document', 'envelope']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`ALTER TABLE organisation DROP COLUMN provider_api_key_sealed, DROP COLUMN provider_webhook_secret_sealed`);
  }
}
