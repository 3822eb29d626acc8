import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity products: each organisation's sealed keys (flow API keys, the E-Document backend key), and the
 * sandbox's side of them in schema `sandbox`: clients (the provider's organisations, with a backend key),
 * flows (technologies + API key), flow sessions, E-Document requests and the key that signs PDF reports.
 */
export class Kyc1795360000000 implements MigrationInterface {
  name = 'Kyc1795360000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE kyc_credentials (
        organisation_id uuid PRIMARY KEY REFERENCES organisation(id) ON DELETE CASCADE,
        backend_api_key_sealed text,
        flows jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE SCHEMA IF NOT EXISTS sandbox`);
    await db.query(`
      CREATE TABLE sandbox.kyc_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        backend_key_prefix text NOT NULL UNIQUE,
        backend_key_hash bytea NOT NULL,
        -- Sealed, so the cabinet (the CLI) can show it again as the provider's cabinet does.
        backend_key_sealed text NOT NULL,
        faults jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.kyc_flow (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES sandbox.kyc_client(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        technologies text[] NOT NULL CHECK (cardinality(technologies) BETWEEN 1 AND 4),
        api_key_prefix text NOT NULL UNIQUE,
        api_key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sandbox.kyc_flow_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        flow_id uuid NOT NULL REFERENCES sandbox.kyc_flow(id) ON DELETE CASCADE,
        technologies text[] NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        photo1 bytea,
        status text NOT NULL DEFAULT 'STARTED' CHECK (status IN ('STARTED', 'FINISHED')),
        step integer NOT NULL DEFAULT 0,
        results jsonb NOT NULL DEFAULT '[]'::jsonb,
        edocument jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE sandbox.kyc_edocument_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES sandbox.kyc_client(id) ON DELETE CASCADE,
        flow_session_id uuid REFERENCES sandbox.kyc_flow_session(id) ON DELETE CASCADE,
        document_type text NOT NULL,
        iin char(12) NOT NULL,
        phone text NOT NULL,
        code text NOT NULL,
        status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'RECEIVED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX kyc_edocument_request_flow ON sandbox.kyc_edocument_request (flow_session_id) WHERE flow_session_id IS NOT NULL`);
    await db.query(`CREATE INDEX kyc_edocument_request_phone ON sandbox.kyc_edocument_request (phone, created_at DESC)`);
    await db.query(`
      CREATE TABLE sandbox.kyc_report_signer (
        id smallint PRIMARY KEY CHECK (id = 1),
        certificate_der bytea NOT NULL,
        private_key_pkcs8 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sandbox.kyc_report_signer`);
    await db.query(`DROP TABLE sandbox.kyc_edocument_request`);
    await db.query(`DROP TABLE sandbox.kyc_flow_session`);
    await db.query(`DROP TABLE sandbox.kyc_flow`);
    await db.query(`DROP TABLE sandbox.kyc_client`);
    await db.query(`DROP TABLE kyc_credentials`);
  }
}
