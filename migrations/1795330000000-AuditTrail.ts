import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only and hash-chained per envelope. envelope_id has no foreign key on purpose:
 * the trail is the legal record and must outlive anything that happens to the envelope rows.
 */
export class AuditTrail1795330000000 implements MigrationInterface {
  name = 'AuditTrail1795330000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        envelope_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
        actor jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object'),
        ip text CHECK (length(ip) <= 100),
        user_agent text CHECK (length(user_agent) <= 512),
        data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
        created_at timestamptz NOT NULL,
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT audit_event_envelope_seq_key UNIQUE (envelope_id, seq)
      )`);
    await db.query(`CREATE INDEX audit_event_organisation_idx ON audit_event (organisation_id, created_at)`);
    await db.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Audit events are never updated or deleted; append a new event instead.';
      END
      $$`);
    await db.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_event`);
    await db.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
