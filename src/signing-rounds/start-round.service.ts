import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { sha256Hex } from '../common/crypto/sha256.js';
import { startMachine } from '../common/domain/machine-step.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import type { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ProviderCredentialsService } from '../organisations/provider-credentials.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { CheckRoundService } from './check-round.service.js';
import { DEADLINE_GRACE_MS, PROVIDER_SESSION_MS } from './domain/round-rules.js';
import { type RoundContext, SIGNING_ROUND_MACHINE_VERSION, signingRoundMachine } from './domain/signing-round.machine.js';
import { ProviderCallError, ProviderFailures } from './provider-failures.service.js';
import { ROUND_CHECK_QUEUE, type RoundCheckJob } from './round-check-job.js';
import { previousGroupCms } from './round-inputs.js';
import { SignerLinksService } from './signer-links.service.js';
import { SigningRound } from './signing-round.entity.js';

/**
 * The signer presses Sign: reuse their live provider session or create one (uploading the original for the
 * first group, else the previous group's CMS), and answer the provider's sign page URL.
 */
@Injectable()
export class StartRoundService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: SignerLinksService,
    private readonly checks: CheckRoundService,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly providers: ProviderCredentialsService,
    private readonly failures: ProviderFailures,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Locks the envelope, then the signer (the one lock order everywhere), so concurrent presses on any
   * instance wait for the first, which then finds the live session.
   */
  async startSigning(token: string, actor: Actor): Promise<string> {
    const found = await this.links.signerByToken(token);
    const redirectUrl = `${this.config.publicBaseUrl}/s/${token}/return`;
    // A session past its 30 minutes: ask the provider how it ended before replacing it; never assume.
    const stale = await this.db.getRepository(SigningRound).findOne({ where: { signerId: found.id, status: In(['STARTED', 'PROCESS']), expiresAt: LessThan(new Date()) } });
    if (stale) await this.checks.checkRound({ roundId: stale.id, trigger: 'deadline' });
    let sessionId: string;
    let language: Envelope['language'];
    try {
      ({ sessionId, language } = await this.db.transaction(async (manager) => {
        const envelope = await this.transitions.lock(manager, found.organisationId, found.envelopeId);
        const signer = await manager.getRepository(Signer).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id: found.id }).getOneOrFail();
        if (envelope.status !== 'IN_PROGRESS') throw new AppError('ENVELOPE_FINISHED', `This envelope is ${envelope.status.toLowerCase().replace('_', ' ')}; there is nothing to sign`);
        if (signer.status !== 'ACTIVE') throw new AppError('SIGNER_NOT_ACTIVE', signer.status === 'WAITING' ? 'It is not your turn to sign yet' : `You have already ${signer.status.toLowerCase()}`);
        const live = await manager.getRepository(SigningRound).findOne({ where: { signerId: signer.id, status: In(['STARTED', 'PROCESS']) } });
        if (live && live.expiresAt.getTime() > Date.now()) return { sessionId: live.sessionId, language: envelope.language };
        if (live) {
          // Past its 30 minutes but the provider has not ended it (or could not be asked): a second live
          // session for this signer is never made.
          throw new AppError('SESSION_STILL_OPEN', 'Your previous signing session is still being closed by the provider; please try again in a minute');
        }
        const round = await this.createRound(manager, envelope, signer, actor);
        return { sessionId: round.sessionId, language: envelope.language };
      }));
    } catch (error) {
      // Recorded after the rollback, in a transaction of its own: the audit trail keeps the failed call.
      if (error instanceof ProviderCallError) await this.failures.record(error.scope, error.operation, error.providerError);
      throw error;
    }
    this.jobs.wake(ROUND_CHECK_QUEUE);
    this.webhooks.wakeDeliveries();
    const client = await this.providers.clientFor(found.organisationId);
    return client.signUrl({ sessionId, redirectUrl, language });
  }

  private async createRound(manager: EntityManager, envelope: Envelope, signer: Signer, actor: Actor): Promise<SigningRound> {
    const client = await this.providers.clientFor(envelope.organisationId);
    const documents = await manager.getRepository(EnvelopeDocument).find({
      where: { envelopeId: envelope.id },
      order: { position: 'ASC' },
      select: { id: true, name: true, position: true, content: true, sha256: true },
    });
    const scope = { organisationId: envelope.organisationId, envelopeId: envelope.id };
    const startedAt = Date.now();
    const session = await this.failures.call(scope, 'session.create', () =>
      client.createSession({ iin: signer.iin, phone: signer.phone, documentType: envelope.documentType }),
    );
    const uploads = [];
    for (const document of documents) {
      const input = (await previousGroupCms(manager, document.id, signer.routingOrder)) ?? document.content;
      const uploaded = await this.failures.call(scope, 'document.upload', () => client.uploadDocument({ sessionId: session.sessionId, name: document.name, file: input }));
      uploads.push({ documentId: document.id, providerDocumentId: uploaded.id, inputSha256: sha256Hex(input) });
    }
    const attempt = (await manager.getRepository(SigningRound).countBy({ signerId: signer.id })) + 1;
    const start = startMachine<RoundContext>(signingRoundMachine, { signerId: signer.id });
    const round = await manager.getRepository(SigningRound).save(
      manager.getRepository(SigningRound).create({
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        signerId: signer.id,
        attempt,
        routingOrder: signer.routingOrder,
        sessionId: session.sessionId,
        checkId: session.checkId,
        uploads,
        status: 'STARTED',
        machineState: start.state,
        machineVersion: SIGNING_ROUND_MACHINE_VERSION,
        expiresAt: new Date(startedAt + PROVIDER_SESSION_MS),
      }),
    );
    await this.audit.append(manager, {
      organisationId: envelope.organisationId,
      envelopeId: envelope.id,
      type: 'round.started',
      actor: { kind: 'signer', id: signer.id },
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { roundId: round.id, attempt, sessionId: round.sessionId, checkId: round.checkId, uploads },
    });
    const poll = this.config.ROUND_POLL_SECONDS * 1000;
    await this.jobs.send<RoundCheckJob>(manager, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'poll' }, { startAfter: new Date(Date.now() + poll) });
    await this.jobs.send<RoundCheckJob>(manager, ROUND_CHECK_QUEUE, { roundId: round.id, trigger: 'deadline' }, { startAfter: new Date(round.expiresAt.getTime() + DEADLINE_GRACE_MS) });
    return round;
  }
}
