import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks: endpoints, one delivery per event and endpoint, and every attempt of it. */
export class Webhooks1795331000000 implements MigrationInterface {
  name = 'Webhooks1795331000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        event_types text[] NOT NULL DEFAULT '{}',
        secret_sealed text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        deleted_at timestamptz,
        CHECK (deleted_at IS NOT NULL OR secret_sealed IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX webhook_endpoint_organisation_idx ON webhook_endpoint (organisation_id, created_at) WHERE deleted_at IS NULL`);
    await db.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
        envelope_id uuid,
        event_id text NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        CONSTRAINT webhook_delivery_endpoint_event_key UNIQUE (endpoint_id, event_id)
      )`);
    await db.query(`CREATE INDEX webhook_delivery_endpoint_idx ON webhook_delivery (endpoint_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhook_delivery_envelope_idx ON webhook_delivery (organisation_id, envelope_id) WHERE envelope_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE webhook_delivery_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES webhook_delivery(id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        status_code integer,
        error text,
        response_excerpt text CHECK (length(response_excerpt) <= 1024),
        CONSTRAINT webhook_delivery_attempt_key UNIQUE (delivery_id, attempt)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_delivery_attempt`);
    await db.query(`DROP TABLE webhook_delivery`);
    await db.query(`DROP TABLE webhook_endpoint`);
  }
}
