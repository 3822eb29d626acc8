import { assign, setup } from 'xstate';

/**
 * One signer's provider session, following the provider's own lifecycle: STARTED → PROCESS → FINISHED | CANCELED.
 * A FINISHED round carries Kezek's verdict on the returned signatures: accepted, or rejected with a reason.
 * The machine is pure; the service feeds it what the provider's status/result API said.
 */
export const SIGNING_ROUND_MACHINE_VERSION = 1;

export type RoundStatus = 'STARTED' | 'PROCESS' | 'FINISHED' | 'CANCELED';
export type ProviderFailureReason = 'EXPIRED' | 'LIVENESS' | 'FACE2FACE' | 'EDOCUMENT' | 'OTHER';
export type RejectionReason = 'SIGNATURE_INVALID' | 'CONTENT_MISMATCH' | 'IDENTITY_MISMATCH';

export type Verdict = { accepted: true } | { accepted: false; reason: RejectionReason; message: string };

export interface RoundContext {
  signerId: string;
  failureReason: ProviderFailureReason | null;
  rejection: { reason: RejectionReason; message: string } | null;
}

export type RoundEvent =
  | { type: 'SIGN_PAGE_OPENED' }
  | { type: 'PROVIDER_FINISHED'; verdict: Verdict }
  | { type: 'PROVIDER_CANCELED'; failureReason: ProviderFailureReason }
  | { type: 'DEADLINE_PASSED' };

export type RoundEffect =
  | { type: 'roundAccepted'; params: { signerId: string } }
  | { type: 'roundRejected'; params: { signerId: string; reason: RejectionReason; message: string } }
  | { type: 'roundCanceled'; params: { signerId: string; failureReason: ProviderFailureReason } };

export const signingRoundMachine = setup({
  types: {
    context: {} as RoundContext,
    input: {} as { signerId: string },
    events: {} as RoundEvent,
  },
  actions: {
    roundAccepted: (_, _params: { signerId: string }) => undefined,
    roundRejected: (_, _params: { signerId: string; reason: RejectionReason; message: string }) => undefined,
    roundCanceled: (_, _params: { signerId: string; failureReason: ProviderFailureReason }) => undefined,
  },
}).createMachine({
  id: 'signingRound',
  initial: 'live',
  context: ({ input }) => ({ signerId: input.signerId, failureReason: null, rejection: null }),
  states: {
    // STARTED and PROCESS share how a live session ends.
    live: {
      initial: 'STARTED',
      states: {
        STARTED: { on: { SIGN_PAGE_OPENED: { target: 'PROCESS' } } },
        PROCESS: {},
      },
      on: {
        PROVIDER_FINISHED: [
          {
            guard: ({ event }) => event.verdict.accepted,
            target: 'FINISHED',
            actions: [{ type: 'roundAccepted', params: ({ context }) => ({ signerId: context.signerId }) }],
          },
          {
            target: 'FINISHED',
            actions: [
              assign({ rejection: ({ event }) => (event.verdict.accepted ? null : { reason: event.verdict.reason, message: event.verdict.message }) }),
              {
                type: 'roundRejected',
                params: ({ context }) => ({ signerId: context.signerId, reason: context.rejection!.reason, message: context.rejection!.message }),
              },
            ],
          },
        ],
        PROVIDER_CANCELED: {
          target: 'CANCELED',
          actions: [
            assign({ failureReason: ({ event }) => event.failureReason }),
            { type: 'roundCanceled', params: ({ context }) => ({ signerId: context.signerId, failureReason: context.failureReason! }) },
          ],
        },
        DEADLINE_PASSED: {
          target: 'CANCELED',
          actions: [
            assign({ failureReason: 'EXPIRED' }),
            { type: 'roundCanceled', params: ({ context }) => ({ signerId: context.signerId, failureReason: context.failureReason! }) },
          ],
        },
      },
    },
    FINISHED: { type: 'final' },
    CANCELED: { type: 'final' },
  },
});

/** The provider-style status of a persisted state value (`{live: 'STARTED'}` → STARTED). */
export function roundStatusOf(value: unknown): RoundStatus {
  if (typeof value === 'string') return value as RoundStatus;
  return (value as { live: RoundStatus }).live;
}
