import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries are claimed for the length of one attempt (so concurrency can be counted per
 * organisation and per endpoint), and each endpoint carries a circuit breaker.
 */
export class FairWebhookDelivery1795393000000 implements MigrationInterface {
  name = 'FairWebhookDelivery1795393000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE webhook_endpoint
        ADD COLUMN breaker_state text NOT NULL DEFAULT 'closed' CHECK (breaker_state IN ('closed', 'open', 'half_open')),
        ADD COLUMN breaker_opened_at timestamptz,
        ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE webhook_delivery ADD COLUMN claim_token uuid, ADD COLUMN claimed_until timestamptz`);
    // Attempts in flight, counted at every claim.
    await db.query(`CREATE INDEX webhook_delivery_claimed_idx ON webhook_delivery (organisation_id, endpoint_id) WHERE claim_token IS NOT NULL`);
    // An endpoint's pending deliveries, oldest first: the next one to send.
    await db.query(`CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (endpoint_id, created_at, id) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_delivery_pending_idx`);
    await db.query(`DROP INDEX webhook_delivery_claimed_idx`);
    await db.query(`ALTER TABLE webhook_delivery DROP COLUMN claimed_until, DROP COLUMN claim_token`);
    await db.query(`ALTER TABLE webhook_endpoint DROP COLUMN consecutive_failures, DROP COLUMN breaker_opened_at, DROP COLUMN breaker_state`);
  }
}
