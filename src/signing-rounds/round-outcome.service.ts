import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { Actor } from '../common/http/actor.js';
import type { Envelope } from '../envelopes/entities/envelope.entity.js';
import { envelopeSummary, EnvelopeTransitionsService, type GroupSignatures } from '../envelopes/envelope-transitions.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import type { RoundEffect } from './domain/signing-round.machine.js';
import { RoundDocument } from './round-document.entity.js';
import { type RoundWithSession, SigningRound } from './signing-round.entity.js';

/** Carries out a round machine's effects on its envelope (in the caller's transaction, envelope locked). */
@Injectable()
export class RoundOutcomeService {
  constructor(
    private readonly transitions: EnvelopeTransitionsService,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * `accepted`: each document's CMS of this round when it was accepted (as just verified), so a group of this
   * signer alone needs no read of what the caller holds.
   */
  async carryOut(manager: EntityManager, envelope: Envelope, round: RoundWithSession, effect: RoundEffect, accepted?: Map<string, Uint8Array>): Promise<void> {
    const actor: Actor = { kind: 'provider', id: round.sessionId };
    const roundInfo = { id: round.id, attempt: round.attempt, sessionId: round.sessionId, checkId: round.checkId };
    switch (effect.type) {
      case 'roundAccepted':
        await this.transitions.apply(manager, envelope, { type: 'ROUND_ACCEPTED', signerId: effect.params.signerId }, actor, {
          groupSignatures: (tx, routingOrder, signerIds) =>
            accepted && signerIds.length === 1 && signerIds[0] === round.signerId
              ? Promise.resolve(new Map([...accepted].map(([documentId, cms]) => [documentId, [cms]])))
              : groupSignatures(tx, routingOrder, signerIds),
          // Handed out only once every document was uploaded, so the uploads name them all, in order.
          documentIds: round.uploads.map((upload) => upload.documentId),
        });
        return;
      case 'roundRejected':
        await this.webhooks.emit(manager, envelope.organisationId, 'round.rejected', {
          envelope: envelopeSummary(envelope),
          signer: { id: effect.params.signerId },
          round: roundInfo,
          reason: effect.params.reason,
          message: effect.params.message,
        }, { envelopeId: envelope.id });
        await this.transitions.apply(manager, envelope, { type: 'ROUND_UNSUCCESSFUL', signerId: effect.params.signerId, outcome: 'rejected', reason: effect.params.reason }, actor);
        return;
      case 'roundCanceled':
        await this.webhooks.emit(manager, envelope.organisationId, 'round.canceled', {
          envelope: envelopeSummary(envelope),
          signer: { id: effect.params.signerId },
          round: roundInfo,
          failureReason: effect.params.failureReason,
        }, { envelopeId: envelope.id });
        await this.transitions.apply(manager, envelope, { type: 'ROUND_UNSUCCESSFUL', signerId: effect.params.signerId, outcome: 'canceled', reason: effect.params.failureReason }, actor);
        return;
    }
  }
}

/**
 * Each document's CMS from the accepted round of each signer of a completed group (one accepted round per
 * signer: the signer stops being active once accepted), in the group's signer order.
 */
const groupSignatures: GroupSignatures = async (manager, routingOrder, signerIds) => {
  const rounds = await manager.getRepository(SigningRound).find({
    where: { signerId: In(signerIds), status: 'FINISHED' },
    order: { createdAt: 'DESC' },
  });
  const accepted = signerIds.map((signerId) => rounds.find((r) => r.signerId === signerId && r.rejectionReason === null));
  if (accepted.some((r) => !r)) throw new Error(`Group ${routingOrder} completed without an accepted round per signer`);
  const results = await manager.getRepository(RoundDocument).find({
    where: { roundId: In(accepted.map((r) => r!.id)) },
    select: { id: true, roundId: true, documentId: true, cms: true },
  });
  const byDocument = new Map<string, Uint8Array[]>();
  for (const round of accepted) {
    for (const result of results.filter((r) => r.roundId === round!.id)) {
      byDocument.set(result.documentId, [...(byDocument.get(result.documentId) ?? []), new Uint8Array(result.cms)]);
    }
  }
  return byDocument;
};
