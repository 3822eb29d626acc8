import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { JobsService, type JobContext } from '../jobs/jobs.service.js';
import { Organisation } from '../organisations/organisation.entity.js';
import type { EmitOptions } from '../webhooks/webhooks.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { languageOf } from '../web/language.js';
import { signerTurnMessage } from './domain/templates.js';
import { Mailer } from './mailer.js';
import { Notification } from './notification.entity.js';

export const NOTIFICATION_QUEUE = 'notification-send';
const RETRY_LIMIT = 5;

/**
 * Mail to signers when it is their turn. The message is recorded and its job queued in the transaction
 * that made the signer active (so it exists exactly when the turn does); sending is a retried job whose
 * outcome goes into the envelope's audit trail. A failed message never blocks signing: the signer's link
 * works whether or not the mail arrived.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly mailer: Mailer,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ notificationId: string }>({ name: NOTIFICATION_QUEUE, retryLimit: RETRY_LIMIT, retryDelaySeconds: 10, expireInSeconds: 120 }, (data, job) => this.send(data.notificationId, job));
    this.webhooks.observe((manager, organisationId, type, data, options) => this.onEvent(manager, organisationId, type, data, options));
  }

  private async onEvent(manager: EntityManager, organisationId: string, type: string, data: object, options: EmitOptions): Promise<void> {
    if (type !== 'signer.activated' || !options.envelopeId) return;
    const { signer: activated } = data as { signer?: { id?: string; link?: string } };
    if (!activated?.id || !activated.link) return;
    const signer = await manager.getRepository(Signer).findOneBy({ id: activated.id, organisationId });
    if (!signer?.email) return;
    const envelope = await manager.getRepository(Envelope).findOneByOrFail({ id: options.envelopeId, organisationId });
    const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: organisationId });
    const message = signerTurnMessage(languageOf(envelope.language), { title: envelope.title, signerName: signer.fullName, link: activated.link, organisation: organisation.name, reminder: false });
    const repository = manager.getRepository(Notification);
    const row = await repository.save(
      repository.create({
        organisationId,
        envelopeId: envelope.id,
        signerId: signer.id,
        channel: 'email',
        kind: 'signer_turn',
        recipient: signer.email,
        subject: message.subject,
        body: message.text,
        status: 'QUEUED',
        transport: null,
        attempts: 0,
        lastError: null,
        sentAt: null,
      }),
    );
    await this.jobs.send(manager, NOTIFICATION_QUEUE, { notificationId: row.id });
  }

  /** The job: send once (a repeated run of a sent message does nothing), record the outcome in the trail. */
  private async send(notificationId: string, job: JobContext): Promise<void> {
    const repository = this.db.getRepository(Notification);
    const row = await repository.findOneBy({ id: notificationId });
    if (!row || row.status !== 'QUEUED') return;
    try {
      await this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body });
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 500) : 'send failed';
      const final = job.retryCount >= RETRY_LIMIT;
      await this.db.transaction(async (manager) => {
        await manager.getRepository(Notification).update({ id: row.id }, { attempts: row.attempts + 1, lastError: message, ...(final ? { status: 'FAILED' as const } : {}) });
        if (final) await this.record(manager, row, 'notification.failed', { error: message });
      });
      this.logger.warn({ notificationId, attempt: job.retryCount + 1, final }, 'notification not sent');
      if (!final) throw error;
      return;
    }
    await this.db.transaction(async (manager) => {
      const changed = await manager.getRepository(Notification).update({ id: row.id, status: 'QUEUED' }, { status: 'SENT', transport: this.mailer.kind, attempts: row.attempts + 1, sentAt: new Date(), lastError: null });
      if (changed.affected) await this.record(manager, row, 'notification.sent', { transport: this.mailer.kind });
    });
  }

  private record(manager: EntityManager, row: Notification, type: string, extra: object): Promise<unknown> {
    return this.audit.append(manager, {
      organisationId: row.organisationId,
      envelopeId: row.envelopeId,
      type,
      actor: { kind: 'system' },
      data: { notificationId: row.id, signerId: row.signerId, channel: row.channel, kind: row.kind, recipient: row.recipient, subject: row.subject, ...extra },
    });
  }

  /** The organisation's latest messages (the console's mailbox page). */
  latest(organisationId: string, limit = 50): Promise<Notification[]> {
    return this.db.getRepository(Notification).find({ where: { organisationId }, order: { createdAt: 'DESC' }, take: limit });
  }

  get transportKind(): 'smtp' | 'dev-mailbox' {
    return this.mailer.kind;
  }
}
