import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { ConsoleSession } from './console-session.entity.js';
import { afterFailure, isLocked } from './domain/lockout.js';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './domain/password.js';
import { isRole, ROLES, type Role } from './domain/roles.js';
import { OrgUser } from './org-user.entity.js';
import { sha256 } from '../common/crypto/sha256.js';

/** A session ends after this long without use, and in any case this long after login. */
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
const INVITATION_DAYS = 7;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,60}$/;

/** The signed-in user a console request acts as. */
export interface ConsoleIdentity {
  userId: string;
  organisationId: string;
  organisationName: string;
  email: string;
  role: Role;
  /** The form token of this session (HMAC of the session id: never stored). */
  csrfToken: string;
}

export interface UserSummary {
  id: string;
  email: string;
  role: Role;
  status: 'active' | 'invited' | 'locked' | 'disabled';
  createdAt: Date;
  lastLoginAt: Date | null;
}


/** The CSRF token of a session: bound to the session id, so a token from one session is useless in another. */
export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('kezek console csrf').digest('base64url');
}

function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!EMAIL.test(value)) throw new AppError('VALIDATION_FAILED', 'email: expected an e-mail address such as anna@example.kz');
  return value;
}

function summarise(user: OrgUser, now = new Date()): UserSummary {
  const status = user.disabledAt ? 'disabled' : user.invitationExpiresAt ? 'invited' : isLocked(user, now) ? 'locked' : 'active';
  return { id: user.id, email: user.email, role: user.role, status, createdAt: user.createdAt, lastLoginAt: user.lastLoginAt };
}

/** Organisation users, their passwords, invitations and console sessions. */
@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates an active user; without a password, one is generated and returned once. */
  async createUser(organisationId: string, email: string, role: string, password?: string): Promise<{ user: UserSummary; password: string }> {
    if (!isRole(role)) throw new AppError('VALIDATION_FAILED', `role: expected one of ${ROLES.join(', ')}`);
    const address = normaliseEmail(email);
    const secret = password ?? generatePassword();
    const problem = passwordProblem(secret);
    if (problem) throw new AppError('VALIDATION_FAILED', `password: ${problem}`);
    await this.requireOrganisation(organisationId);
    const passwordHash = await hashPassword(secret);
    const user = await this.insert({ organisationId, email: address, role, passwordHash, passwordChangedAt: password ? new Date() : null });
    return { user: summarise(user), password: secret };
  }

  /** An invitation: the user exists without a password; the returned token (shown once) lets them choose one. */
  async invite(organisationId: string, email: string, role: string): Promise<{ user: UserSummary; token: string }> {
    if (!isRole(role)) throw new AppError('VALIDATION_FAILED', `role: expected one of ${ROLES.join(', ')}`);
    const address = normaliseEmail(email);
    const token = randomBytes(24).toString('base64url');
    const user = await this.insert({
      organisationId,
      email: address,
      role,
      invitationHash: sha256(token),
      invitationExpiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 60 * 60_000),
    });
    return { user: summarise(user), token };
  }

  /** The invited address, if the token is a live invitation. */
  async invitation(token: string): Promise<{ email: string; organisationName: string }> {
    const user = await this.findInvitation(this.db.manager, token);
    const organisation = await this.db.getRepository(Organisation).findOneByOrFail({ id: user.organisationId });
    return { email: user.email, organisationName: organisation.name };
  }

  async acceptInvitation(token: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new AppError('VALIDATION_FAILED', `password: ${problem}`);
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (manager) => {
      const user = await this.findInvitation(manager, token, true);
      await manager.getRepository(OrgUser).update({ id: user.id }, { passwordHash, invitationHash: null, invitationExpiresAt: null, passwordChangedAt: new Date() });
    });
  }

  async listUsers(organisationId: string): Promise<UserSummary[]> {
    const rows = await this.db.getRepository(OrgUser).find({ where: { organisationId }, order: { createdAt: 'ASC' } });
    return rows.map((row) => summarise(row));
  }

  /** Changes a user's role; the organisation always keeps an owner. */
  async setRole(organisationId: string, userId: string, role: string): Promise<void> {
    if (!isRole(role)) throw new AppError('VALIDATION_FAILED', `role: expected one of ${ROLES.join(', ')}`);
    await this.db.transaction(async (manager) => {
      // Serialises role changes of one organisation, so two owners cannot demote each other at once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('org_user_roles:' || $1::text, 0))`, [organisationId]);
      const user = await manager.getRepository(OrgUser).findOneBy({ id: userId, organisationId });
      if (!user) throw new AppError('USER_NOT_FOUND', `User ${userId} not found`);
      if (user.role === 'owner' && role !== 'owner') {
        const owners = await manager.getRepository(OrgUser).countBy({ organisationId, role: 'owner', disabledAt: IsNull() });
        if (owners <= 1) throw new AppError('LAST_OWNER', 'The organisation needs at least one owner: make someone else owner first');
      }
      await manager.getRepository(OrgUser).update({ id: userId, organisationId }, { role });
    });
  }

  /**
   * Checks email and password and opens a session. Wrong email and wrong password answer the same; a wrong
   * password counts towards the lockout, and a locked account is refused even with the right password.
   */
  async login(email: string, password: string, client: { ip?: string | null; userAgent?: string | null }): Promise<{ sessionId: string; identity: ConsoleIdentity }> {
    const address = email.trim().toLowerCase().slice(0, 254);
    const user = await this.db.getRepository(OrgUser).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :address', { address }).getOne();
    const now = new Date();
    if (user && isLocked(user, now)) throw new AppError('ACCOUNT_LOCKED', 'Too many wrong passwords: the account is locked for a few minutes');
    // A missing user still costs one scrypt, so timing does not tell which addresses have accounts.
    const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash || user.disabledAt || !ok) {
      if (user) {
        const next = afterFailure(user, now);
        await this.db.getRepository(OrgUser).update({ id: user.id }, { failedLogins: next.failedLogins, lockedUntil: next.lockedUntil });
      }
      throw new AppError('LOGIN_FAILED', 'Wrong e-mail or password');
    }
    await this.db.getRepository(OrgUser).update({ id: user.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
    const sessionId = randomBytes(32).toString('base64url');
    await this.db.getRepository(ConsoleSession).insert({
      idHash: sha256(sessionId),
      userId: user.id,
      organisationId: user.organisationId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      ip: client.ip?.slice(0, 100) ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    });
    return { sessionId, identity: await this.identityOf(user, sessionId) };
  }

  /** The identity behind a session cookie, or undefined when the session is unknown, ended or its user disabled. */
  async resolveSession(sessionId: string): Promise<ConsoleIdentity | undefined> {
    if (!/^[\w-]{43}$/.test(sessionId)) return undefined;
    const idHash = sha256(sessionId);
    const session = await this.db.getRepository(ConsoleSession).findOneBy({ idHash });
    const now = Date.now();
    if (!session || session.expiresAt.getTime() <= now || session.createdAt.getTime() + SESSION_MAX_MS <= now) return undefined;
    const user = await this.db.getRepository(OrgUser).findOneBy({ id: session.userId, organisationId: session.organisationId });
    if (!user || user.disabledAt) return undefined;
    // Sliding expiry, written at most once a minute.
    if (now - session.lastSeenAt.getTime() > 60_000) {
      await this.db.getRepository(ConsoleSession).update({ idHash }, { lastSeenAt: new Date(now), expiresAt: new Date(Math.min(now + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_MAX_MS)) });
    }
    return this.identityOf(user, sessionId);
  }

  async logout(sessionId: string): Promise<void> {
    await this.db.getRepository(ConsoleSession).delete({ idHash: sha256(sessionId) });
  }

  /** Changes the password after checking the current one; every other session of the user ends. */
  async changePassword(userId: string, current: string, next: string, keepSessionId: string): Promise<void> {
    const problem = passwordProblem(next);
    if (problem) throw new AppError('VALIDATION_FAILED', `new password: ${problem}`);
    const user = await this.db.getRepository(OrgUser).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :userId', { userId }).getOne();
    if (!user?.passwordHash || !(await verifyPassword(current.slice(0, 1024), user.passwordHash))) {
      throw new AppError('VALIDATION_FAILED', 'current password: it is not your current password');
    }
    const passwordHash = await hashPassword(next);
    await this.db.transaction(async (manager) => {
      await manager.getRepository(OrgUser).update({ id: userId }, { passwordHash, passwordChangedAt: new Date() });
      await manager.query(`DELETE FROM console_session WHERE user_id = $1 AND id_hash <> $2`, [userId, sha256(keepSessionId)]);
    });
  }

  /** Removes ended sessions (called from time to time; an ended session is refused anyway). */
  async purgeEndedSessions(): Promise<number> {
    const result = await this.db.query(`DELETE FROM console_session WHERE expires_at < now() OR created_at < now() - $1::interval`, [`${SESSION_MAX_MS / 1000} seconds`]);
    return (result as [unknown, number])[1] ?? 0;
  }

  /** Display names of the people and keys that appear in an organisation's audit trail. */
  async actorNames(organisationId: string): Promise<Map<string, string>> {
    const [users, keys] = await Promise.all([
      this.db.query(`SELECT id, email FROM org_user WHERE organisation_id = $1`, [organisationId]) as Promise<{ id: string; email: string }[]>,
      this.db.query(`SELECT id, prefix, label FROM api_key WHERE organisation_id = $1`, [organisationId]) as Promise<{ id: string; prefix: string; label: string }[]>,
    ]);
    const names = new Map<string, string>();
    for (const user of users) names.set(user.id, user.email);
    for (const key of keys) names.set(key.id, `API key ${key.prefix}${key.label ? ` (${key.label})` : ''}`);
    return names;
  }

  private async identityOf(user: OrgUser, sessionId: string): Promise<ConsoleIdentity> {
    const organisation = await this.db.getRepository(Organisation).findOneByOrFail({ id: user.organisationId });
    return { userId: user.id, organisationId: user.organisationId, organisationName: organisation.name, email: user.email, role: user.role, csrfToken: csrfTokenOf(sessionId) };
  }

  private async requireOrganisation(organisationId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(organisationId) || !(await this.db.getRepository(Organisation).existsBy({ id: organisationId }))) {
      throw new AppError('ORGANISATION_NOT_FOUND', `Organisation ${organisationId} not found`);
    }
  }

  private async insert(values: Partial<OrgUser>): Promise<OrgUser> {
    try {
      const repository = this.db.getRepository(OrgUser);
      const saved = await repository.save(repository.create({ failedLogins: 0, ...values }));
      return repository.findOneByOrFail({ id: saved.id });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AppError('USER_EMAIL_TAKEN', `${values.email} already has an account`);
      throw error;
    }
  }

  private async findInvitation(manager: EntityManager, token: string, lock = false): Promise<OrgUser> {
    const query = manager.getRepository(OrgUser).createQueryBuilder('u').where('u.invitation_hash = :hash', { hash: sha256(token.slice(0, 100)) });
    if (lock) query.setLock('pessimistic_write');
    const user = await query.getOne();
    if (!user || !user.invitationExpiresAt || user.invitationExpiresAt.getTime() < Date.now()) {
      throw new AppError('INVITATION_NOT_FOUND', 'This invitation is unknown, used or expired: ask for a new one');
    }
    return user;
  }
}

/** A valid hash of a random password, compared against when the address has no account. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43);
