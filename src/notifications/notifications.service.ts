import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { maskPhone } from '../common/domain/pii-mask.js';
import { AppError } from '../common/errors/app-error.js';
import { SYSTEM, type Actor } from '../common/http/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { Signer } from '../envelopes/entities/signer.entity.js';
import { EnvelopeTransitionsService } from '../envelopes/envelope-transitions.service.js';
import { EvidencePackService } from '../evidence/evidence-pack.service.js';
import { JobsService, type JobContext } from '../jobs/jobs.service.js';
import { Organisation } from '../organisations/organisation.entity.js';
import type { EmitOptions } from '../webhooks/webhooks.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { languageOf } from '../web/language.js';
import { certificateFromEvidencePack } from './certificate-attachment.js';
import { completedMessage, signerTurnMessage, signerTurnSms } from './domain/templates.js';
import { Mailer } from './mailer.js';
import { Notification } from './notification.entity.js';
import './notification.errors.js';
import { SendFailure, SMS_SENDER, type SmsSender } from './sms/sms-sender.js';

export const NOTIFICATION_QUEUE = 'notification-send';
export const REMINDER_QUEUE = 'notification-reminder';
const DAY_MS = 24 * 3600 * 1000;

interface ReminderJob {
  organisationId: string;
  signerId: string;
  /** 1 for the first scheduled reminder of this signer's turn. */
  sequence: number;
}

/**
 * Messages to signers (their turn, reminders) and to the sender (completion, with the certificate). Each message
 * is a row written in the transaction that caused it, with its job (outbox); sending is a retried job whose
 * outcome goes into the envelope's audit trail, so the console timeline shows it. A failed message never
 * blocks signing: the signer's link works whether or not anything arrived.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
    private readonly transitions: EnvelopeTransitionsService,
    private readonly evidence: EvidencePackService,
    private readonly mailer: Mailer,
    @Inject(SMS_SENDER) private readonly sms: SmsSender | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ notificationId: string }>(
      { name: NOTIFICATION_QUEUE, retryLimit: this.config.NOTIFICATION_RETRY_LIMIT, retryDelaySeconds: this.config.NOTIFICATION_RETRY_DELAY_SECONDS, expireInSeconds: 120 },
      (data, job) => this.send(data.notificationId, job),
    );
    this.jobs.register<ReminderJob>({ name: REMINDER_QUEUE, retryLimit: 10, retryDelaySeconds: 60, expireInSeconds: 120 }, (data) => this.scheduledReminder(data));
    this.webhooks.observe((manager, organisationId, type, data, options) => this.onEvent(manager, organisationId, type, data, options));
  }

  private async onEvent(manager: EntityManager, organisationId: string, type: string, data: object, options: EmitOptions): Promise<void> {
    if (!options.envelopeId) return;
    if (type === 'signer.activated') {
      const { signer: activated } = data as { signer?: { id?: string; link?: string } };
      if (!activated?.id || !activated.link) return;
      const signer = options.signer?.id === activated.id ? options.signer : await manager.getRepository(Signer).findOneBy({ id: activated.id, organisationId });
      // No address and no SMS gateway: nothing to send, nothing more to read.
      if (!signer || (!signer.email && !this.sms)) return;
      const envelope = await manager.getRepository(Envelope).findOneByOrFail({ id: options.envelopeId, organisationId });
      const channels = await this.queueSignerMessages(manager, envelope, signer, 'signer_turn', null, activated.link);
      if (channels.length && envelope.reminderIntervalDays) {
        await this.jobs.send<ReminderJob>(manager, REMINDER_QUEUE, { organisationId, signerId: signer.id, sequence: 1 }, { startAfter: new Date(Date.now() + envelope.reminderIntervalDays * DAY_MS) });
      }
    } else if (type === 'envelope.completed') {
      await this.queueCompletionMail(manager, organisationId, options.envelopeId);
    }
  }

  /**
   * Writes the signer's messages (e-mail when they have an address, SMS when a gateway is configured) and
   * queues their jobs, in the caller's transaction. Answers the channels used.
   */
  private async queueSignerMessages(manager: EntityManager, envelope: Envelope, signer: Pick<Signer, 'id' | 'fullName' | 'email' | 'phone'>, kind: 'signer_turn' | 'reminder', dedupeKey: string | null, link: string): Promise<('email' | 'sms')[]> {
    const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: envelope.organisationId });
    const language = languageOf(envelope.language);
    const reminder = kind === 'reminder';
    const drafts: Pick<Notification, 'channel' | 'recipient' | 'subject' | 'body'>[] = [];
    if (signer.email) {
      const message = signerTurnMessage(language, { title: envelope.title, signerName: signer.fullName, link, organisation: organisation.name, reminder });
      drafts.push({ channel: 'email', recipient: signer.email, subject: message.subject, body: message.text });
    }
    if (this.sms) {
      const text = signerTurnSms(language, { title: envelope.title, link, organisation: organisation.name, reminder });
      drafts.push({ channel: 'sms', recipient: signer.phone, subject: text.slice(0, 60), body: text });
    }
    for (const draft of drafts) {
      const id = await this.insert(manager, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        signerId: signer.id,
        kind,
        dedupeKey: dedupeKey ? `${dedupeKey}:${draft.channel}` : null,
        ...draft,
      });
      await this.jobs.send(manager, NOTIFICATION_QUEUE, { notificationId: id });
    }
    return drafts.map((d) => d.channel);
  }

  private async queueCompletionMail(manager: EntityManager, organisationId: string, envelopeId: string): Promise<void> {
    const envelope = await manager.getRepository(Envelope).findOneByOrFail({ id: envelopeId, organisationId });
    const recipient = envelope.senderEmail ?? (await this.creatorEmail(manager, organisationId, envelopeId));
    if (!recipient) return;
    const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: organisationId });
    const signers = await manager.getRepository(Signer).find({ where: { envelopeId, organisationId }, order: { routingOrder: 'ASC', position: 'ASC' } });
    const message = completedMessage(languageOf(envelope.language), {
      title: envelope.title,
      organisation: organisation.name,
      signers: signers.map((s) => s.fullName),
      consoleLink: this.config.publicUrl(`/console/envelopes/${envelope.id}`),
    });
    const id = await this.insert(manager, { organisationId, envelopeId, signerId: null, kind: 'completed', channel: 'email', recipient, subject: message.subject, body: message.text, dedupeKey: `completed:${envelopeId}` });
    await this.jobs.send(manager, NOTIFICATION_QUEUE, { notificationId: id });
  }

  /** The console user who created the envelope (the first event of its trail), when a person did. */
  private async creatorEmail(manager: EntityManager, organisationId: string, envelopeId: string): Promise<string | null> {
    const rows = (await manager.query(
      `SELECT u.email FROM audit_event a
         JOIN org_user u ON u.id::text = a.actor->>'id' AND u.organisation_id = a.organisation_id
        WHERE a.envelope_id = $1 AND a.organisation_id = $2 AND a.seq = 1 AND a.actor->>'kind' = 'user'`,
      [envelopeId, organisationId],
    )) as { email: string }[];
    return rows[0]?.email ?? null;
  }

  private async insert(manager: EntityManager, row: Pick<Notification, 'organisationId' | 'envelopeId' | 'signerId' | 'kind' | 'channel' | 'recipient' | 'subject' | 'body' | 'dedupeKey'>): Promise<string> {
    const repository = manager.getRepository(Notification);
    const saved = await repository.save(repository.create({ ...row, status: 'QUEUED', transport: null, attempts: 0, lastError: null, sentAt: null }));
    return saved.id;
  }

  /**
   * A console user reminds an active signer: the turn message again, over every channel the signer has.
   * At most once per REMINDER_MIN_INTERVAL_MINUTES per signer (checked under the envelope's row lock, so two
   * clicks at once send one reminder); recorded in the trail under the user.
   */
  async remind(organisationId: string, envelopeId: string, signerId: string, actor: Actor): Promise<{ channels: ('email' | 'sms')[] }> {
    const channels = await this.db.transaction(async (manager) => {
      const envelope = await this.transitions.lock(manager, organisationId, envelopeId);
      const signer = await manager.getRepository(Signer).findOneBy({ id: signerId, envelopeId, organisationId });
      if (!signer) throw new AppError('SIGNER_NOT_FOUND', `Signer ${signerId} not found in envelope ${envelopeId}`);
      if (envelope.status !== 'IN_PROGRESS') throw new AppError('REMINDER_NOT_POSSIBLE', `The envelope is ${envelope.status.toLowerCase().replace('_', ' ')}: there is nothing to remind about`);
      if (signer.status !== 'ACTIVE') throw new AppError('REMINDER_NOT_POSSIBLE', `It is not this signer's turn (${signer.status.toLowerCase()}): only a signer who can sign now is reminded`);
      if (!signer.email && !this.sms) throw new AppError('REMINDER_NO_CHANNEL', 'This signer has no e-mail address and no SMS gateway is configured: copy their link and send it yourself');
      const [{ last }] = (await manager.query(`SELECT max(created_at) AS last FROM notification WHERE signer_id = $1 AND organisation_id = $2 AND kind = 'reminder' AND dedupe_key IS NULL`, [signer.id, organisationId])) as { last: Date | null }[];
      const next = last ? new Date(new Date(last).getTime() + this.config.REMINDER_MIN_INTERVAL_MINUTES * 60_000) : null;
      if (next && next.getTime() > Date.now()) {
        throw new AppError('REMINDER_TOO_SOON', `This signer was reminded at ${new Date(last!).toISOString().slice(11, 16)} UTC; the next reminder is possible after ${next.toISOString().slice(11, 16)} UTC`);
      }
      const used = await this.queueSignerMessages(manager, envelope, signer, 'reminder', null, this.transitions.signerLink(signer));
      await this.audit.append(manager, {
        organisationId,
        envelopeId,
        type: 'signer.reminded',
        actor: { kind: actor.kind, id: actor.id },
        ip: actor.ip,
        userAgent: actor.userAgent,
        data: { signerId: signer.id, channels: used },
      });
      return used;
    });
    this.jobs.wake(NOTIFICATION_QUEUE);
    return { channels };
  }

  /**
   * The reminder job, every `reminderIntervalDays` while the signer is active and the envelope in progress.
   * Idempotent: reminder number n writes its rows under a unique key, so a second run of the same job
   * finds them and stops (the first run already queued reminder n+1).
   */
  private async scheduledReminder(job: ReminderJob): Promise<void> {
    const sent = await this.db.transaction(async (manager) => {
      const signer = await manager.getRepository(Signer).findOneBy({ id: job.signerId, organisationId: job.organisationId });
      if (!signer || signer.status !== 'ACTIVE') return false;
      const envelope = await manager.getRepository(Envelope).findOneBy({ id: signer.envelopeId, organisationId: job.organisationId });
      if (!envelope || envelope.status !== 'IN_PROGRESS' || !envelope.reminderIntervalDays) return false;
      const key = `reminder:${signer.id}:${job.sequence}`;
      if (await manager.getRepository(Notification).exists({ where: [{ dedupeKey: `${key}:email` }, { dedupeKey: `${key}:sms` }] })) return false;
      const channels = await this.queueSignerMessages(manager, envelope, signer, 'reminder', key, this.transitions.signerLink(signer));
      if (!channels.length) return false;
      await this.audit.append(manager, {
        organisationId: envelope.organisationId,
        envelopeId: envelope.id,
        type: 'signer.reminded',
        actor: SYSTEM,
        data: { signerId: signer.id, channels, sequence: job.sequence },
      });
      const next = new Date(Date.now() + envelope.reminderIntervalDays * DAY_MS);
      if (next < envelope.expiresAt) await this.jobs.send<ReminderJob>(manager, REMINDER_QUEUE, { ...job, sequence: job.sequence + 1 }, { startAfter: next });
      return true;
    });
    if (sent) this.jobs.wake(NOTIFICATION_QUEUE);
  }

  /** The job: send once (a repeated run of a sent message does nothing), record the outcome in the trail. */
  private async send(notificationId: string, job: JobContext): Promise<void> {
    const repository = this.db.getRepository(Notification);
    const row = await repository.findOneBy({ id: notificationId });
    if (!row || row.status !== 'QUEUED') return;
    let transport: string;
    try {
      transport = await this.deliver(row);
    } catch (error) {
      const failure = error instanceof SendFailure ? error : new SendFailure(error instanceof Error ? error.message.slice(0, 500) : 'send failed', false);
      const final = failure.permanent || job.retryCount >= this.config.NOTIFICATION_RETRY_LIMIT;
      await this.db.transaction(async (manager) => {
        const changed = await manager
          .getRepository(Notification)
          .update({ id: row.id, status: 'QUEUED' }, { attempts: row.attempts + 1, lastError: failure.message, ...(final ? { status: 'FAILED' as const } : {}) });
        if (changed.affected) await this.record(manager, row, final ? 'notification.failed' : 'notification.retrying', { error: failure.message, attempt: row.attempts + 1 });
      });
      this.logger.warn({ notificationId, channel: row.channel, attempt: job.retryCount + 1, final, permanent: failure.permanent }, 'notification not sent');
      if (!final) throw failure;
      return;
    }
    await this.db.transaction(async (manager) => {
      const changed = await manager.getRepository(Notification).update({ id: row.id, status: 'QUEUED' }, { status: 'SENT', transport, attempts: row.attempts + 1, sentAt: new Date(), lastError: null });
      if (changed.affected) await this.record(manager, row, 'notification.sent', { transport });
    });
  }

  /** Hands the message to its channel; answers the transport that took it. */
  private async deliver(row: Notification): Promise<string> {
    if (row.channel === 'sms') {
      if (!this.sms) throw new SendFailure('No SMS gateway is configured (SMS_GATEWAY_URL)', true);
      await this.sms.send({ to: row.recipient, text: row.body });
      return this.sms.kind;
    }
    const attachments = row.kind === 'completed' ? [{ filename: 'certificate-of-completion.pdf', content: await this.certificate(row), contentType: 'application/pdf' }] : undefined;
    await this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body, attachments });
    return this.mailer.kind;
  }

  private async certificate(row: Notification): Promise<Buffer> {
    const { zip } = await this.evidence.build(row.organisationId, row.envelopeId, SYSTEM);
    return certificateFromEvidencePack(zip);
  }

  private record(manager: EntityManager, row: Notification, type: string, extra: object): Promise<unknown> {
    // Phone numbers are masked in the trail (it is exported in evidence packs); the message row keeps the number.
    const recipient = row.channel === 'sms' ? maskPhone(row.recipient) : row.recipient;
    return this.audit.append(manager, {
      organisationId: row.organisationId,
      envelopeId: row.envelopeId,
      type,
      actor: { kind: 'system' },
      data: { notificationId: row.id, signerId: row.signerId, channel: row.channel, kind: row.kind, recipient, subject: row.subject, ...extra },
    });
  }

  /** The organisation's latest messages (the console's mailbox page). */
  latest(organisationId: string, limit = 50): Promise<Notification[]> {
    return this.db.getRepository(Notification).find({ where: { organisationId }, order: { createdAt: 'DESC' }, take: limit });
  }

  get transportKind(): 'smtp' | 'dev-mailbox' {
    return this.mailer.kind;
  }

  get smsConfigured(): boolean {
    return this.sms !== null;
  }
}
