import { assign, not, setup } from 'xstate';
import type { EffectsOf } from '../../common/domain/machine-step.js';

/**
 * The envelope's lifecycle as a pure XState machine. The service feeds it events inside a transaction with
 * `transition()`, stores the snapshot, and turns the returned actions into side effects (jobs, webhooks,
 * audit events). Signer statuses live in the context, so routing decisions are made here and nowhere else.
 */
export const ENVELOPE_MACHINE_VERSION = 1;

export type EnvelopeStatus = 'DRAFT' | 'IN_PROGRESS' | 'COMPLETED' | 'DECLINED' | 'CANCELED' | 'EXPIRED' | 'FAILED';
export type SignerStatus = 'WAITING' | 'ACTIVE' | 'SIGNED' | 'DECLINED' | 'FAILED';

export interface SignerSlot {
  id: string;
  routingOrder: number;
  status: SignerStatus;
  /** Rounds that ended without an accepted signature (canceled by the provider, or rejected by Kezek). */
  attempts: number;
}

export interface EnvelopeContext {
  signers: SignerSlot[];
  maxAttempts: number;
  /** The routing order whose signers are (or were last) active. */
  activeOrder: number | null;
  reason: string | null;
}

export type EnvelopeEvent =
  | { type: 'SEND' }
  | { type: 'ROUND_ACCEPTED'; signerId: string }
  | { type: 'ROUND_UNSUCCESSFUL'; signerId: string; outcome: 'canceled' | 'rejected'; reason: string }
  | { type: 'SIGNER_DECLINED'; signerId: string; reason: string }
  /** The signer used up their identity attempts (identity before signing): they fail, and so does the envelope. */
  | { type: 'IDENTITY_FAILED'; signerId: string; reason: string }
  | { type: 'CANCEL'; reason: string }
  | { type: 'EXPIRE' };

/** Side effects the machine asks for; the service carries them out. EnvelopeEffect is typed from these. */
const envelopeEffects = {
  activateSigners: (_: unknown, _params: { signerIds: string[]; routingOrder: number }) => undefined,
  signerSigned: (_: unknown, _params: { signerId: string }) => undefined,
  groupCompleted: (_: unknown, _params: { routingOrder: number; signerIds: string[] }) => undefined,
  attemptCounted: (_: unknown, _params: { signerId: string; attempts: number; outcome: 'canceled' | 'rejected'; reason: string }) => undefined,
  signerFailed: (_: unknown, _params: { signerId: string }) => undefined,
  signerDeclined: (_: unknown, _params: { signerId: string; reason: string }) => undefined,
  envelopeFinished: (_: unknown, _params: { status: EnvelopeStatus; reason: string | null }) => undefined,
};

export type EnvelopeEffect = EffectsOf<typeof envelopeEffects>;

function lowestWaitingOrder(signers: SignerSlot[]): number | null {
  const orders = signers.filter((s) => s.status === 'WAITING').map((s) => s.routingOrder);
  return orders.length ? Math.min(...orders) : null;
}

function withStatus(signers: SignerSlot[], ids: (s: SignerSlot) => boolean, status: SignerStatus): SignerSlot[] {
  return signers.map((s) => (ids(s) ? { ...s, status } : s));
}

function isActive(context: EnvelopeContext, signerId: string): boolean {
  return context.signers.some((s) => s.id === signerId && s.status === 'ACTIVE');
}

function signerOf(context: EnvelopeContext, signerId: string): SignerSlot {
  const signer = context.signers.find((s) => s.id === signerId);
  if (!signer) throw new Error(`Unknown signer ${signerId}`);
  return signer;
}

/** Would the signer's acceptance finish its routing group? */
function completesGroup(context: EnvelopeContext, signerId: string): boolean {
  const order = signerOf(context, signerId).routingOrder;
  return context.signers.filter((s) => s.routingOrder === order && s.id !== signerId).every((s) => s.status === 'SIGNED');
}

function groupIds(context: EnvelopeContext, order: number): string[] {
  return context.signers.filter((s) => s.routingOrder === order).map((s) => s.id);
}

const finished = (status: EnvelopeStatus) =>
  ({ type: 'envelopeFinished', params: ({ context }: { context: EnvelopeContext }) => ({ status, reason: context.reason }) }) as const;

export const envelopeMachine = setup({
  types: {
    context: {} as EnvelopeContext,
    input: {} as { signers: { id: string; routingOrder: number }[]; maxAttempts: number },
    events: {} as EnvelopeEvent,
  },
  actions: {
    ...envelopeEffects,
    activateNextGroup: assign(({ context }) => {
      const order = lowestWaitingOrder(context.signers);
      return {
        activeOrder: order,
        signers: withStatus(context.signers, (s) => s.routingOrder === order && s.status === 'WAITING', 'ACTIVE'),
      };
    }),
  },
  guards: {
    signerIsActive: ({ context, event }) => 'signerId' in event && isActive(context, event.signerId),
    /** A signer may decline while waiting for their turn or during it. */
    signerMayDecline: ({ context, event }) =>
      event.type === 'SIGNER_DECLINED' && context.signers.some((s) => s.id === event.signerId && (s.status === 'WAITING' || s.status === 'ACTIVE')),
    completesEnvelope: ({ context, event }) =>
      event.type === 'ROUND_ACCEPTED' &&
      completesGroup(context, event.signerId) &&
      lowestWaitingOrder(context.signers) === null,
    completesGroup: ({ context, event }) => event.type === 'ROUND_ACCEPTED' && completesGroup(context, event.signerId),
    lastAttempt: ({ context, event }) =>
      event.type === 'ROUND_UNSUCCESSFUL' && signerOf(context, event.signerId).attempts + 1 >= context.maxAttempts,
  },
}).createMachine({
  id: 'envelope',
  initial: 'DRAFT',
  context: ({ input }) => ({
    signers: input.signers.map((s) => ({ ...s, status: 'WAITING' as const, attempts: 0 })),
    maxAttempts: input.maxAttempts,
    activeOrder: null,
    reason: null,
  }),
  states: {
    DRAFT: {
      on: {
        SEND: {
          target: 'IN_PROGRESS',
          actions: [
            'activateNextGroup',
            {
              type: 'activateSigners',
              params: ({ context }) => ({ signerIds: groupIds(context, context.activeOrder!), routingOrder: context.activeOrder! }),
            },
          ],
        },
        CANCEL: { target: 'CANCELED', actions: [assign({ reason: ({ event }) => event.reason }), finished('CANCELED')] },
      },
    },
    IN_PROGRESS: {
      on: {
        ROUND_ACCEPTED: [
          // A late or duplicate result for a signer who is no longer active changes nothing.
          { guard: not('signerIsActive') },
          {
            guard: 'completesEnvelope',
            target: 'COMPLETED',
            actions: [
              assign({ signers: ({ context, event }) => withStatus(context.signers, (s) => s.id === event.signerId, 'SIGNED') }),
              { type: 'signerSigned', params: ({ event }) => ({ signerId: event.signerId }) },
              { type: 'groupCompleted', params: ({ context }) => ({ routingOrder: context.activeOrder!, signerIds: groupIds(context, context.activeOrder!) }) },
              finished('COMPLETED'),
            ],
          },
          {
            guard: 'completesGroup',
            actions: [
              assign({ signers: ({ context, event }) => withStatus(context.signers, (s) => s.id === event.signerId, 'SIGNED') }),
              { type: 'signerSigned', params: ({ event }) => ({ signerId: event.signerId }) },
              { type: 'groupCompleted', params: ({ context }) => ({ routingOrder: context.activeOrder!, signerIds: groupIds(context, context.activeOrder!) }) },
              'activateNextGroup',
              {
                type: 'activateSigners',
                params: ({ context }) => ({ signerIds: groupIds(context, context.activeOrder!), routingOrder: context.activeOrder! }),
              },
            ],
          },
          {
            actions: [
              assign({ signers: ({ context, event }) => withStatus(context.signers, (s) => s.id === event.signerId, 'SIGNED') }),
              { type: 'signerSigned', params: ({ event }) => ({ signerId: event.signerId }) },
            ],
          },
        ],
        ROUND_UNSUCCESSFUL: [
          { guard: not('signerIsActive') },
          {
            guard: 'lastAttempt',
            target: 'FAILED',
            actions: [
              assign({
                signers: ({ context, event }) =>
                  context.signers.map((s) => (s.id === event.signerId ? { ...s, attempts: s.attempts + 1, status: 'FAILED' as const } : s)),
                reason: ({ context, event }) => `Signer gave no accepted signature in ${context.maxAttempts} attempts (last: ${event.reason})`,
              }),
              {
                type: 'attemptCounted',
                params: ({ context, event }) => ({
                  signerId: event.signerId,
                  attempts: signerOf(context, event.signerId).attempts,
                  outcome: event.outcome,
                  reason: event.reason,
                }),
              },
              { type: 'signerFailed', params: ({ event }) => ({ signerId: event.signerId }) },
              finished('FAILED'),
            ],
          },
          {
            actions: [
              assign({
                signers: ({ context, event }) => context.signers.map((s) => (s.id === event.signerId ? { ...s, attempts: s.attempts + 1 } : s)),
              }),
              {
                type: 'attemptCounted',
                params: ({ context, event }) => ({
                  signerId: event.signerId,
                  attempts: signerOf(context, event.signerId).attempts,
                  outcome: event.outcome,
                  reason: event.reason,
                }),
              },
            ],
          },
        ],
        IDENTITY_FAILED: [
          { guard: not('signerIsActive') },
          {
            target: 'FAILED',
            actions: [
              assign({
                signers: ({ context, event }) => withStatus(context.signers, (s) => s.id === event.signerId, 'FAILED'),
                reason: ({ event }) => `Signer did not pass the identity checks (last: ${event.reason})`,
              }),
              { type: 'signerFailed', params: ({ event }) => ({ signerId: event.signerId }) },
              finished('FAILED'),
            ],
          },
        ],
        SIGNER_DECLINED: [
          { guard: not('signerMayDecline') },
          {
            target: 'DECLINED',
            actions: [
              assign({
                signers: ({ context, event }) => withStatus(context.signers, (s) => s.id === event.signerId, 'DECLINED'),
                reason: ({ event }) => event.reason,
              }),
              { type: 'signerDeclined', params: ({ event }) => ({ signerId: event.signerId, reason: event.reason }) },
              finished('DECLINED'),
            ],
          },
        ],
        CANCEL: { target: 'CANCELED', actions: [assign({ reason: ({ event }) => event.reason }), finished('CANCELED')] },
        EXPIRE: { target: 'EXPIRED', actions: [assign({ reason: 'The envelope expired before every signer signed' }), finished('EXPIRED')] },
      },
    },
    COMPLETED: { type: 'final' },
    DECLINED: { type: 'final' },
    CANCELED: { type: 'final' },
    EXPIRED: { type: 'final' },
    FAILED: { type: 'final' },
  },
});
