import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { mergeSignedData } from '../cms/index.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import { stepMachine } from '../common/domain/machine-step.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { WebhookEventType } from '../webhooks/domain/webhook-event-types.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { ENVELOPE_MACHINE_VERSION, type EnvelopeContext, type EnvelopeEffect, type EnvelopeEvent, envelopeMachine } from './domain/envelope.machine.js';
import { DocumentSignature } from './entities/document-signature.entity.js';
import { EnvelopeDocument } from './entities/envelope-document.entity.js';
import { Envelope } from './entities/envelope.entity.js';
import { Signer } from './entities/signer.entity.js';
import { sha256Hex } from '../common/crypto/sha256.js';

/**
 * Each document's signatures by a routing group that has just completed: one CMS per signer (their accepted
 * round's), in the group's signer order. Supplied by whoever reports the group's last accepted round (signing
 * rounds), so envelopes never read rounds themselves.
 */
export type GroupSignatures = (manager: EntityManager, routingOrder: number, signerIds: string[]) => Promise<Map<string, Uint8Array[]>>;

/** What a transition may need from the feature that caused it. */
export interface TransitionContext {
  /** Required for ROUND_ACCEPTED: the group's signatures when the group completes. */
  groupSignatures?: GroupSignatures;
}

/**
 * The one place where an envelope changes state: locks the row, computes the next state with the pure
 * machine, stores it with its mirrors (status columns), and carries out the machine's effects in the same
 * transaction (audit events, outbound webhooks, merged CMS). Callers pass the transaction's manager.
 */
@Injectable()
export class EnvelopeTransitionsService {
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly webhooks: WebhooksService,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** Locks the organisation's envelope for the rest of the transaction; 404 for another organisation's id. */
  async lock(manager: EntityManager, organisationId: string, envelopeId: string): Promise<Envelope> {
    const envelope = await manager
      .getRepository(Envelope)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :envelopeId AND e.organisation_id = :organisationId', { envelopeId, organisationId })
      .getOne();
    if (!envelope) throw new AppError('ENVELOPE_NOT_FOUND', `Envelope ${envelopeId} not found`);
    return envelope;
  }

  /**
   * Applies `event` to a locked envelope. Returns false when the machine ignored it (a duplicate, a late
   * result, an envelope already finished): the loser of a race is a no-op, not an error.
   */
  async apply(manager: EntityManager, envelope: Envelope, event: EnvelopeEvent, actor: Actor, context: TransitionContext = {}): Promise<boolean> {
    if (envelope.machineVersion !== ENVELOPE_MACHINE_VERSION) {
      // A snapshot written by a build with another envelope machine: never reinterpreted silently.
      throw new Error(`Envelope ${envelope.id} was stored by envelope machine version ${envelope.machineVersion}; this build reads version ${ENVELOPE_MACHINE_VERSION}. Run the matching Kezek version or migrate the row.`);
    }
    const step = stepMachine<EnvelopeContext, EnvelopeEffect>(envelopeMachine, envelope.machineState, event);
    if (!step.changed) return false;
    const from = envelope.status;
    const before = envelope.machineState.context.signers;
    envelope.machineState = step.state;
    envelope.status = step.state.value as Envelope['status'];
    await manager.getRepository(Envelope).update(
      { id: envelope.id },
      { machineState: step.state, status: envelope.status, sentAt: event.type === 'SEND' ? new Date() : envelope.sentAt },
    );
    await this.mirrorSigners(manager, envelope, before, step.state.context);
    await this.audit.append(manager, {
      organisationId: envelope.organisationId,
      envelopeId: envelope.id,
      type: 'envelope.event',
      actor: { kind: actor.kind, id: actor.id },
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { event, from, to: envelope.status },
    });
    for (const effect of step.effects) await this.carryOut(manager, envelope, effect, actor, context);
    return true;
  }

  /** Copies the signers' status and attempts from the machine's context to their rows, where they changed. */
  private async mirrorSigners(manager: EntityManager, envelope: Envelope, before: EnvelopeContext['signers'], context: EnvelopeContext): Promise<void> {
    for (const slot of context.signers) {
      const previous = before.find((s) => s.id === slot.id);
      if (previous?.status === slot.status && previous.attempts === slot.attempts) continue;
      await manager.getRepository(Signer).update({ id: slot.id, envelopeId: envelope.id }, { status: slot.status, attempts: slot.attempts });
    }
  }

  private async carryOut(manager: EntityManager, envelope: Envelope, effect: EnvelopeEffect, actor: Actor, context: TransitionContext): Promise<void> {
    const signers = manager.getRepository(Signer);
    const now = new Date();
    switch (effect.type) {
      case 'activateSigners': {
        await signers.update({ id: In(effect.params.signerIds), envelopeId: envelope.id }, { activatedAt: now });
        for (const signer of await signers.findBy({ id: In(effect.params.signerIds), envelopeId: envelope.id })) {
          await this.emit(manager, envelope, 'signer.activated', {
            signer: { id: signer.id, fullName: signer.fullName, routingOrder: signer.routingOrder, link: this.signerLink(signer) },
          });
        }
        return;
      }
      case 'signerSigned':
        await signers.update({ id: effect.params.signerId, envelopeId: envelope.id }, { signedAt: now });
        await this.emit(manager, envelope, 'signer.signed', { signer: { id: effect.params.signerId } });
        return;
      case 'groupCompleted':
        if (!context.groupSignatures) throw new Error(`Group ${effect.params.routingOrder} of envelope ${envelope.id} completed without its signatures`);
        await this.mergeGroup(manager, envelope, effect.params.routingOrder, effect.params.signerIds, context.groupSignatures);
        return;
      case 'attemptCounted':
        return; // the round's own webhook (round.canceled / round.rejected) tells integrators
      case 'signerFailed':
        await signers.update({ id: effect.params.signerId, envelopeId: envelope.id }, { failedAt: now });
        await this.emit(manager, envelope, 'signer.failed', { signer: { id: effect.params.signerId } });
        return;
      case 'signerDeclined':
        await signers.update({ id: effect.params.signerId, envelopeId: envelope.id }, { declinedAt: now, declineReason: effect.params.reason });
        await this.emit(manager, envelope, 'signer.declined', { signer: { id: effect.params.signerId }, reason: effect.params.reason });
        return;
      case 'envelopeFinished': {
        await manager.getRepository(Envelope).update({ id: envelope.id }, { finishedAt: now, statusReason: effect.params.reason });
        envelope.finishedAt = now;
        envelope.statusReason = effect.params.reason;
        const type = `envelope.${effect.params.status.toLowerCase()}` as WebhookEventType;
        await this.emit(manager, envelope, type, { reason: effect.params.reason, by: actor.kind });
        return;
      }
    }
  }

  /**
   * A routing group has signed: each document's next input is the group's CMS, merged into one SignedData
   * when the group signed in parallel.
   */
  private async mergeGroup(manager: EntityManager, envelope: Envelope, routingOrder: number, signerIds: string[], groupSignatures: GroupSignatures): Promise<void> {
    const documents = await manager.getRepository(EnvelopeDocument).find({ where: { envelopeId: envelope.id }, order: { position: 'ASC' } });
    const signatures = await groupSignatures(manager, routingOrder, signerIds);
    for (const document of documents) {
      const cmsList = signatures.get(document.id);
      if (cmsList?.length !== signerIds.length) throw new Error(`Group ${routingOrder} of envelope ${envelope.id} lacks a signature of document ${document.id}`);
      const cms = Buffer.from(cmsList.length === 1 ? cmsList[0] : mergeSignedData(cmsList));
      await manager.getRepository(DocumentSignature).insert({
        documentId: document.id,
        organisationId: envelope.organisationId,
        routingOrder,
        cms,
        cmsSha256: sha256Hex(cms),
      });
    }
    await this.audit.append(manager, {
      organisationId: envelope.organisationId,
      envelopeId: envelope.id,
      type: 'group.completed',
      actor: { kind: 'system' },
      data: { routingOrder, signerIds, merged: signerIds.length > 1 },
    });
  }

  private async emit(manager: EntityManager, envelope: Envelope, type: Parameters<WebhooksService['emit']>[2], data: Record<string, unknown>): Promise<void> {
    await this.webhooks.emit(manager, envelope.organisationId, type, {
      envelope: envelopeSummary(envelope),
      ...data,
    }, { envelopeId: envelope.id });
  }

  /** The signer's durable link: `/s/{token}` on this service. */
  signerLink(signer: Pick<Signer, 'linkTokenSealed'>): string {
    return `${this.config.publicBaseUrl}/s/${this.box.open(signer.linkTokenSealed)}`;
  }
}

/** What outbound webhooks say about the envelope an event belongs to. */
export function envelopeSummary(envelope: Envelope) {
  return { id: envelope.id, title: envelope.title, status: envelope.status, metadata: envelope.metadata };
}
