import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { hashLinkToken, isWellFormedLinkToken } from '../envelopes/domain/link-token.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { envelopeSummary, EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { CheckRoundService } from './check-round.service.js';
import { isLive, isOpen } from './domain/round-rules.js';
import { hasSession, SigningRound } from './signing-round.entity.js';
import './signing-round.errors.js';
import { IdentityStepService } from '../identity/identity-step.service.js';
import { SignerIdentity } from '../envelopes/entities/signer-identity.entity.js';
import type { IdentityLinkState } from '../identity/identity-texts.js';

export interface LinkView {
  envelope: Envelope;
  signer: Signer;
  documents: EnvelopeDocument[];
  liveRound: SigningRound | null;
  rounds: SigningRound[];
  /** The identity step before signing, when the envelope asks for one. */
  identity: IdentityLinkState | null;
  /** Opened inside a mobile app's WebView (`?web_view=true`): the chain ends at `/finished`. */
  webView?: boolean;
}

/** The return page's part of the view: no documents, no identity step, the latest round only. */
export type ReturnView = Pick<LinkView, 'envelope' | 'signer' | 'rounds'>;

/** Postgres: a lock wait ran past lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
const OPEN_LOCK_TIMEOUT_MS = 200;
const OPEN_RECORD_ATTEMPTS = 4;

/** The signer's durable link `/s/{token}`: what the page shows, opening it, declining, coming back. */
@Injectable()
export class SignerLinksService {
  private readonly logger = new Logger('Signing');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly checks: CheckRoundService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly identity: IdentityStepService,
  ) {}

  /** The signer a link token belongs to; 404 for anything else (malformed, unknown). */
  async signerByToken(token: string): Promise<Signer> {
    return this.byToken(token, (query) => query);
  }

  /**
   * The signer pressing "sign", with their identity requirement (null: none) read in the same statement; on
   * `manager` when given. `lockUnlessIdentity`: a SELECT-list expression (a lock) the statement evaluates when
   * the signer has no identity requirement.
   */
  async signerForPress(
    token: string,
    options: { manager?: EntityManager; lockUnlessIdentity?: string } = {},
  ): Promise<{ signer: Signer; identityRequirement: SignerIdentity | null }> {
    type Joined = Signer & { identityRequirement: SignerIdentity | null };
    const { identityRequirement, ...signer } = (await this.byToken(
      token,
      (query) => {
        query.leftJoinAndMapOne('s.identityRequirement', SignerIdentity, 'si', 'si.signer_id = s.id');
        return options.lockUnlessIdentity ? query.addSelect(`CASE WHEN si.signer_id IS NULL THEN ${options.lockUnlessIdentity} END`, 'start_lock') : query;
      },
      options.manager,
    )) as Joined;
    return { signer: Object.assign(new Signer(), signer), identityRequirement: identityRequirement ?? null };
  }

  /** The signer of a well-formed, known link token, with what `join` adds to the query; else 404. */
  private async byToken(token: string, join: (query: SelectQueryBuilder<Signer>) => SelectQueryBuilder<Signer>, manager: EntityManager = this.db.manager): Promise<Signer> {
    const query = isWellFormedLinkToken(token)
      ? join(manager.getRepository(Signer).createQueryBuilder('s')).where('s.link_token_hash = :hash', { hash: hashLinkToken(token) })
      : null;
    const signer = query ? await query.getOne() : null;
    if (!signer) throw new AppError('SIGNER_LINK_NOT_FOUND', 'This signing link is not valid');
    return signer;
  }

  async view(token: string): Promise<LinkView> {
    const signer = await this.signerByToken(token);
    const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId });
    const documents = await this.db.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } });
    // Rounds with a provider session (a reservation still starting has none to show).
    const rounds = (await this.db.getRepository(SigningRound).find({ where: { signerId: signer.id }, order: { createdAt: 'ASC' } })).filter(hasSession);
    const now = Date.now();
    const liveRound = rounds.find((r) => isLive(r, now)) ?? null;
    return { envelope, signer, documents, liveRound, rounds, identity: await this.identity.linkState(signer) };
  }

  /**
   * Opening the link page: recorded with IP and user agent (audit trail and `signer.link_opened`) at most once
   * per signer per LINK_OPEN_WINDOW_SECONDS. One conditional UPDATE of the signer's row decides, without
   * locking the envelope, so a reload loop costs one cheap statement per request and writes nothing more.
   */
  async recordOpen(token: string, actor: Actor): Promise<void> {
    const signer = await this.signerByToken(token);
    // Reloads within the window cost that one read: no transaction, no lock.
    if (signer.lastOpenedAt && Date.now() - signer.lastOpenedAt.getTime() < this.config.LINK_OPEN_WINDOW_SECONDS * 1000) return;
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.recordOpenOnce(signer, actor)) this.webhooks.wakeDeliveries();
        return;
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code !== LOCK_NOT_AVAILABLE) throw error;
        if (attempt >= OPEN_RECORD_ATTEMPTS) {
          this.logger.warn({ signerId: signer.id }, 'link open not recorded: the envelope was busy every time');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /**
   * The signer row and the trail are taken without the envelope lock that transitions hold (they lock the
   * envelope, then write the trail and the signers in either order), so a wait here could close a cycle with
   * one of them. A short lock timeout makes this side give way first, and the caller tries again shortly.
   */
  private async recordOpenOnce(signer: Signer, actor: Actor): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '${OPEN_LOCK_TIMEOUT_MS}ms'`);
      const [, opened] = (await manager.query(
        `UPDATE signer SET last_opened_at = now()
          WHERE id = $1 AND (last_opened_at IS NULL OR last_opened_at <= now() - make_interval(secs => $2))
          RETURNING id`,
        [signer.id, this.config.LINK_OPEN_WINDOW_SECONDS],
      )) as [unknown[], number];
      if (opened === 0) return false;
      const envelope = await manager.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId, organisationId: signer.organisationId });
      await this.audit.append(manager, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        type: 'signer.link_opened',
        actor: { kind: 'signer', id: signer.id },
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      await this.webhooks.emit(manager, envelope.organisationId, 'signer.link_opened', {
        envelope: envelopeSummary(envelope),
        signer: { id: signer.id },
      }, { envelopeId: envelope.id });
      return true;
    });
  }

  async decline(token: string, reason: string, actor: Actor): Promise<void> {
    const signer = await this.signerByToken(token);
    await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, signer.organisationId, signer.envelopeId);
      const changed = await this.transitions.apply(manager, envelope, { type: 'SIGNER_DECLINED', signerId: signer.id, reason }, { ...actor, kind: 'signer', id: signer.id });
      if (!changed) throw new AppError('SIGNER_NOT_ACTIVE', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; it can no longer be declined`);
    });
    this.webhooks.wakeDeliveries();
  }

  /**
   * The provider sent the signer back: keep what the redirect said (a hint only) and, while the round is still
   * open, ask the provider straight away, so the page can show the real outcome. Answers what the page shows.
   */
  async returned(token: string, status: string | undefined, reason: string | undefined): Promise<ReturnView> {
    const redirect = { redirectStatus: status?.slice(0, 20) ?? null, redirectReason: reason?.slice(0, 50) ?? null };
    const before = await this.returnState(token, redirect);
    const round = before.rounds[0];
    if (!round) return before;
    // Already closed (usually by the provider's webhook): the signer and the round were read together, so the
    // page can show them as they are.
    if (!isOpen(round.status)) return before;
    try {
      const checked = await this.checks.checkRound({ roundId: round.id, trigger: 'return' }, { round, signerIin: before.signer.iin });
      // This check's own transaction: the envelope as it left it, and the round stepped in place. The page
      // needs the signer's status only, which the envelope's machine has.
      const signerStatus = checked?.envelope.machineState.context.signers.find((slot) => slot.id === before.signer.id)?.status;
      // The round may be the one the check before this one read, before this redirect was kept.
      if (checked && signerStatus) return { envelope: checked.envelope, signer: Object.assign(before.signer, { status: signerStatus }), rounds: [Object.assign(checked.round, redirect)] };
    } catch (error) {
      // The page says "being confirmed"; the background check carries on.
      this.logger.warn({ roundId: round.id, err: error }, 'round check from the return page failed; left to the background check');
      await this.checks.retrySoon(round.id);
    }
    return this.returnState(token);
  }

  /**
   * The signer of a link token, its envelope and its latest round with a provider session (a reservation still
   * starting has none), in one statement: one snapshot, so the signer's status and the round's agree. With
   * `redirect`, the same statement keeps it on that round (the round read is from before; it is set here).
   */
  private async returnState(token: string, redirect?: Pick<SigningRound, 'redirectStatus' | 'redirectReason'>): Promise<ReturnView> {
    type Joined = Signer & { envelope: Envelope; latestRound: SigningRound | null };
    const latestRoundOf = (signer: string) =>
      `(SELECT lr.id FROM signing_round lr WHERE lr.signer_id = ${signer} AND lr.session_id IS NOT NULL ORDER BY lr.created_at DESC LIMIT 1)`;
    const found = (await this.byToken(token, (query) => {
      if (redirect) {
        query
          .addCommonTableExpression(
            `UPDATE signing_round SET redirect_status = :redirectStatus, redirect_reason = :redirectReason
              WHERE id = ${latestRoundOf('(SELECT rs.id FROM signer rs WHERE rs.link_token_hash = :hash)')} RETURNING id`,
            'redirected',
          )
          .setParameters(redirect);
      }
      return query
        .innerJoinAndMapOne('s.envelope', Envelope, 'e', 'e.id = s.envelope_id AND e.organisation_id = s.organisation_id')
        .leftJoinAndMapOne('s.latestRound', SigningRound, 'r', `r.id = ${latestRoundOf('s.id')}`);
    })) as Joined;
    const { envelope, latestRound, ...signer } = found;
    if (latestRound && redirect) Object.assign(latestRound, redirect);
    return { envelope, signer: Object.assign(new Signer(), signer), rounds: latestRound ? [latestRound] : [] };
  }
}
