import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation users of the console and their server-side sessions. Passwords are scrypt hashes; session ids
 * and invitation tokens are stored only as SHA-256, so a copy of the database opens no session.
 */
export class ConsoleUsers1795370000000 implements MigrationInterface {
  name = 'ConsoleUsers1795370000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE org_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        role text NOT NULL CHECK (role IN ('viewer', 'member', 'admin', 'owner')),
        password_hash text,
        invitation_hash bytea UNIQUE,
        invitation_expires_at timestamptz,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        password_changed_at timestamptz,
        CHECK (password_hash IS NOT NULL OR invitation_hash IS NOT NULL)
      )`);
    // One account per address across Kezek: the login form asks only for email and password.
    await db.query(`CREATE UNIQUE INDEX org_user_email_key ON org_user (email)`);
    await db.query(`CREATE INDEX org_user_organisation_idx ON org_user (organisation_id, created_at)`);

    await db.query(`
      CREATE TABLE console_session (
        id_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES org_user(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text
      )`);
    await db.query(`CREATE INDEX console_session_user_idx ON console_session (user_id)`);
    await db.query(`CREATE INDEX console_session_expiry_idx ON console_session (expires_at)`);

    // Console search by signer IIN.
    await db.query(`CREATE INDEX signer_organisation_iin_idx ON signer (organisation_id, iin)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS signer_organisation_iin_idx`);
    await db.query(`DROP TABLE console_session`);
    await db.query(`DROP TABLE org_user`);
  }
}
