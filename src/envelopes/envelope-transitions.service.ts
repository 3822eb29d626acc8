import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { mergeSignedData } from '../cms/index.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import { stepMachine } from '../common/domain/machine-step.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { WebhookEventType } from '../webhooks/domain/webhook-event-types.js';
import { WebhooksService, type EmitOptions } from '../webhooks/webhooks.service.js';
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
  /**
   * The envelope's document ids in order, when the caller holds them (a handed-out round uploaded every
   * document): a completed group then needs no read of the documents.
   */
  documentIds?: string[];
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

  /**
   * Locks the organisation's envelope for the rest of the transaction; 404 for another organisation's id. A
   * transaction that locks an envelope changes it, and changes emit events: the same statement reads the
   * organisation's webhook endpoints for them.
   */
  async lock(manager: EntityManager, organisationId: string, envelopeId: string): Promise<Envelope> {
    const { entities, raw } = await manager
      .getRepository(Envelope)
      .createQueryBuilder('e')
      .addSelect(this.webhooks.endpointsColumn('e.organisation_id'), 'webhook_endpoints')
      .setLock('pessimistic_write', undefined, ['e'])
      .where('e.id = :envelopeId AND e.organisation_id = :organisationId', { envelopeId, organisationId })
      .getRawAndEntities<{ webhook_endpoints: { id: string; eventTypes: string[] }[] }>();
    const [envelope] = entities;
    if (!envelope) throw new AppError('ENVELOPE_NOT_FOUND', `Envelope ${envelopeId} not found`);
    this.webhooks.knownEndpoints(manager, organisationId, raw[0].webhook_endpoints);
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
    const now = new Date();
    const finished = step.effects.find((effect) => effect.type === 'envelopeFinished');
    Object.assign(envelope, {
      machineState: step.state,
      status: step.state.value as Envelope['status'],
      ...(event.type === 'SEND' ? { sentAt: now } : {}),
      ...(finished ? { finishedAt: now, statusReason: finished.params.reason } : {}),
    });
    const signerRows = await this.write(manager, envelope, before, step.state.context, step.effects, now);
    await this.audit.append(manager, {
      organisationId: envelope.organisationId,
      envelopeId: envelope.id,
      type: 'envelope.event',
      actor: { kind: actor.kind, id: actor.id },
      ip: actor.ip,
      userAgent: actor.userAgent,
      data: { event, from, to: envelope.status },
    });
    for (const effect of step.effects) await this.carryOut(manager, envelope, effect, actor, context, signerRows);
    return true;
  }

  /**
   * The step's rows in one statement: the envelope (its snapshot with the columns derived from it, `sent_at`
   * and `finished_at` as `envelope` now has them), and every changed signer: status and attempts as the
   * machine's context has them, and the time of each change its effects name (activated, signed, failed,
   * declined). Answers the changed signers' rows, for the effects' webhooks.
   */
  private async write(
    manager: EntityManager,
    envelope: Envelope,
    before: EnvelopeContext['signers'],
    context: EnvelopeContext,
    effects: readonly EnvelopeEffect[],
    now: Date,
  ): Promise<Map<string, SignerRow>> {
    const stamps = new Map<string, SignerStamps>();
    const stamp = (signerId: string, fields: SignerStamps) => stamps.set(signerId, { ...stamps.get(signerId), ...fields });
    for (const effect of effects) {
      if (effect.type === 'activateSigners') effect.params.signerIds.forEach((id) => stamp(id, { activated_at: now }));
      else if (effect.type === 'signerSigned') stamp(effect.params.signerId, { signed_at: now });
      else if (effect.type === 'signerFailed') stamp(effect.params.signerId, { failed_at: now });
      else if (effect.type === 'signerDeclined') stamp(effect.params.signerId, { declined_at: now, decline_reason: effect.params.reason });
    }
    const changed = context.signers
      .filter((slot) => {
        const previous = before.find((s) => s.id === slot.id);
        return stamps.has(slot.id) || previous?.status !== slot.status || previous.attempts !== slot.attempts;
      })
      .map((slot) => ({ id: slot.id, status: slot.status, attempts: slot.attempts, ...stamps.get(slot.id) }));
    // A stamp the step did not name keeps the column as it is.
    const [written] = (await manager.query(
      `WITH stepped AS (
         UPDATE envelope SET machine_state = $3::jsonb, status = $4, sent_at = $5, finished_at = $6, status_reason = $7, updated_at = now()
          WHERE id = $1)
       UPDATE signer AS s
          SET status = v.status, attempts = v.attempts,
              activated_at = COALESCE(v.activated_at, s.activated_at), signed_at = COALESCE(v.signed_at, s.signed_at),
              failed_at = COALESCE(v.failed_at, s.failed_at), declined_at = COALESCE(v.declined_at, s.declined_at),
              decline_reason = COALESCE(v.decline_reason, s.decline_reason)
         FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, status text, attempts int, activated_at timestamptz, signed_at timestamptz, failed_at timestamptz, declined_at timestamptz, decline_reason text)
        WHERE s.id = v.id AND s.envelope_id = $1
        RETURNING s.id, s.full_name, s.routing_order, s.link_token_sealed, s.email, s.phone`,
      [envelope.id, JSON.stringify(changed), JSON.stringify(envelope.machineState), envelope.status, envelope.sentAt, envelope.finishedAt, envelope.statusReason],
    )) as [{ id: string; full_name: string; routing_order: number; link_token_sealed: string; email: string | null; phone: string }[], number];
    const rows = new Map<string, SignerRow>();
    for (const row of written) {
      rows.set(row.id, { id: row.id, fullName: row.full_name, routingOrder: row.routing_order, linkTokenSealed: row.link_token_sealed, email: row.email, phone: row.phone });
    }
    return rows;
  }

  /** The effects' other work (their rows are written by `write`): webhooks, merged CMS, the envelope's end. */
  private async carryOut(manager: EntityManager, envelope: Envelope, effect: EnvelopeEffect, actor: Actor, context: TransitionContext, signerRows: Map<string, SignerRow>): Promise<void> {
    switch (effect.type) {
      case 'activateSigners': {
        for (const id of effect.params.signerIds) {
          const signer = signerRows.get(id);
          if (!signer) throw new Error(`Signer ${id} of envelope ${envelope.id} was activated but not written`);
          await this.emit(
            manager,
            envelope,
            'signer.activated',
            { signer: { id: signer.id, fullName: signer.fullName, routingOrder: signer.routingOrder, link: this.signerLink(signer) } },
            { id: signer.id, fullName: signer.fullName, email: signer.email, phone: signer.phone },
          );
        }
        return;
      }
      case 'signerSigned':
        await this.emit(manager, envelope, 'signer.signed', { signer: { id: effect.params.signerId } });
        return;
      case 'groupCompleted':
        if (!context.groupSignatures) throw new Error(`Group ${effect.params.routingOrder} of envelope ${envelope.id} completed without its signatures`);
        await this.mergeGroup(manager, envelope, effect.params.routingOrder, effect.params.signerIds, context.groupSignatures, context.documentIds);
        return;
      case 'attemptCounted':
        return; // the round's own webhook (round.canceled / round.rejected) tells integrators
      case 'signerFailed':
        await this.emit(manager, envelope, 'signer.failed', { signer: { id: effect.params.signerId } });
        return;
      case 'signerDeclined':
        await this.emit(manager, envelope, 'signer.declined', { signer: { id: effect.params.signerId }, reason: effect.params.reason });
        return;
      case 'envelopeFinished': {
        // finished_at and status_reason were written with the step.
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
  private async mergeGroup(manager: EntityManager, envelope: Envelope, routingOrder: number, signerIds: string[], groupSignatures: GroupSignatures, knownDocumentIds?: string[]): Promise<void> {
    const documentIds =
      knownDocumentIds ??
      (await manager.getRepository(EnvelopeDocument).find({ select: { id: true }, where: { envelopeId: envelope.id }, order: { position: 'ASC' } })).map((d) => d.id);
    const signatures = await groupSignatures(manager, routingOrder, signerIds);
    for (const documentId of documentIds) {
      const cmsList = signatures.get(documentId);
      if (cmsList?.length !== signerIds.length) throw new Error(`Group ${routingOrder} of envelope ${envelope.id} lacks a signature of document ${documentId}`);
      const cms = Buffer.from(cmsList.length === 1 ? cmsList[0] : mergeSignedData(cmsList));
      await manager.getRepository(DocumentSignature).insert({
        documentId,
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

  private async emit(manager: EntityManager, envelope: Envelope, type: Parameters<WebhooksService['emit']>[2], data: Record<string, unknown>, signer?: EmitOptions['signer']): Promise<void> {
    await this.webhooks.emit(manager, envelope.organisationId, type, {
      envelope: envelopeSummary(envelope),
      ...data,
    }, { envelopeId: envelope.id, signer });
  }

  /** The signer's durable link: `/s/{token}` on this service. */
  signerLink(signer: Pick<Signer, 'linkTokenSealed'>): string {
    return this.config.publicUrl(`/s/${this.box.open(signer.linkTokenSealed)}`);
  }
}

/** What an effect's webhook needs of a signer row that step wrote. */
/** The times (and decline reason) a step stamps on a signer's row, by column. */
type SignerStamps = Partial<Record<'activated_at' | 'signed_at' | 'failed_at' | 'declined_at', Date> & { decline_reason: string }>;

type SignerRow = Pick<Signer, 'id' | 'fullName' | 'routingOrder' | 'linkTokenSealed' | 'email' | 'phone'>;

/** What outbound webhooks say about the envelope an event belongs to. */
export function envelopeSummary(envelope: Envelope) {
  return { id: envelope.id, title: envelope.title, status: envelope.status, metadata: envelope.metadata };
}
