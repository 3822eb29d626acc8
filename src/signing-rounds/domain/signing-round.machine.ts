import { assign, setup } from 'xstate';
import type { FailureReason } from '../../cloud-eds/cloud-eds.types.js';
import type { EffectsOf } from '../../common/domain/machine-step.js';

/**
 * One signer's provider session, following the provider's own lifecycle: STARTED → PROCESS → FINISHED | CANCELED.
 * Before it, STARTING: the round is reserved (under the envelope and signer locks) while the provider is
 * called outside them; it becomes STARTED once the session and its uploads are recorded, or RELEASED when
 * no session of it can ever be signed. A FINISHED round carries Kezek's verdict on the returned signatures:
 * accepted, or rejected with a reason. The machine is pure; the services feed it what the provider said.
 *
 * Version 2 added STARTING and RELEASED; a version 1 snapshot is a valid version 2 snapshot.
 */
export const SIGNING_ROUND_MACHINE_VERSION = 2;
export const SIGNING_ROUND_MACHINE_VERSIONS_READ = [1, 2] as const;

export type RoundStatus = 'STARTING' | 'STARTED' | 'PROCESS' | 'FINISHED' | 'CANCELED' | 'RELEASED';
export type ProviderFailureReason = FailureReason;
export type RejectionReason = 'SIGNATURE_INVALID' | 'CONTENT_MISMATCH' | 'IDENTITY_MISMATCH';

export type Verdict = { accepted: true } | { accepted: false; reason: RejectionReason; message: string };

export interface RoundContext {
  signerId: string;
  failureReason: ProviderFailureReason | null;
  rejection: { reason: RejectionReason; message: string } | null;
}

export type RoundEvent =
  | { type: 'SESSION_STARTED' }
  | { type: 'RESERVATION_RELEASED' }
  | { type: 'SIGN_PAGE_OPENED' }
  | { type: 'PROVIDER_FINISHED'; verdict: Verdict }
  | { type: 'PROVIDER_CANCELED'; failureReason: ProviderFailureReason }
  | { type: 'DEADLINE_PASSED' };

/** The effects the machine asks for (carried out by the services); RoundEffect is typed from these. */
const roundEffects = {
  roundAccepted: (_: unknown, _params: { signerId: string }) => undefined,
  roundRejected: (_: unknown, _params: { signerId: string; reason: RejectionReason; message: string }) => undefined,
  roundCanceled: (_: unknown, _params: { signerId: string; failureReason: ProviderFailureReason }) => undefined,
};

export type RoundEffect = EffectsOf<typeof roundEffects>;

export const signingRoundMachine = setup({
  types: {
    context: {} as RoundContext,
    input: {} as { signerId: string },
    events: {} as RoundEvent,
  },
  actions: roundEffects,
}).createMachine({
  id: 'signingRound',
  initial: 'STARTING',
  context: ({ input }) => ({ signerId: input.signerId, failureReason: null, rejection: null }),
  states: {
    // Reserved: the provider session is being created and its documents uploaded, outside row locks.
    STARTING: {
      on: {
        SESSION_STARTED: { target: 'live' },
        RESERVATION_RELEASED: { target: 'RELEASED' },
      },
    },
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
    // No session of this reservation was ever handed to the signer; not an attempt.
    RELEASED: { type: 'final' },
  },
});

/** The provider-style status of a persisted state value (`{live: 'STARTED'}` → STARTED). */
export function roundStatusOf(value: unknown): RoundStatus {
  if (typeof value === 'string') return value as RoundStatus;
  return (value as { live: RoundStatus }).live;
}
