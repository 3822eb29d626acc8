import { startMachine, stepMachine } from '../../common/domain/machine-step.js';
import { type RoundContext, type RoundEvent, roundStatusOf, type RoundStatus, signingRoundMachine } from './signing-round.machine.js';

const ctx: RoundContext = { signerId: 's1', failureReason: null, rejection: null };
const valueOf: Record<RoundStatus, string | Record<string, string>> = {
  STARTING: 'STARTING',
  RELEASED: 'RELEASED',
  STARTED: { live: 'STARTED' },
  PROCESS: { live: 'PROCESS' },
  FINISHED: 'FINISHED',
  CANCELED: 'CANCELED',
};

const SESSION: RoundEvent = { type: 'SESSION_STARTED' };
const RELEASE: RoundEvent = { type: 'RESERVATION_RELEASED' };
const OPENED: RoundEvent = { type: 'SIGN_PAGE_OPENED' };
const ACCEPTED: RoundEvent = { type: 'PROVIDER_FINISHED', verdict: { accepted: true } };
const REJECTED: RoundEvent = { type: 'PROVIDER_FINISHED', verdict: { accepted: false, reason: 'IDENTITY_MISMATCH', message: 'IIN differs' } };
const CANCELED: RoundEvent = { type: 'PROVIDER_CANCELED', failureReason: 'LIVENESS' };
const DEADLINE: RoundEvent = { type: 'DEADLINE_PASSED' };

type Row = [from: RoundStatus, event: RoundEvent, to: RoundStatus, effects: string[]];
const PROVIDER_EVENTS = [OPENED, ACCEPTED, REJECTED, CANCELED, DEADLINE];
const rows: Row[] = [
  ['STARTING', SESSION, 'STARTED', []],
  ['STARTING', RELEASE, 'RELEASED', []],
  // A reservation has no provider session yet: nothing the provider says applies to it.
  ...PROVIDER_EVENTS.map((event): Row => ['STARTING', event, 'STARTING', []]),
  ...(['STARTED', 'PROCESS'] as const).flatMap((from) => [SESSION, RELEASE].map((event): Row => [from, event, from, []])),
  ['STARTED', OPENED, 'PROCESS', []],
  ['STARTED', ACCEPTED, 'FINISHED', ['roundAccepted']],
  ['STARTED', REJECTED, 'FINISHED', ['roundRejected']],
  ['STARTED', CANCELED, 'CANCELED', ['roundCanceled']],
  ['STARTED', DEADLINE, 'CANCELED', ['roundCanceled']],
  ['PROCESS', OPENED, 'PROCESS', []],
  ['PROCESS', ACCEPTED, 'FINISHED', ['roundAccepted']],
  ['PROCESS', REJECTED, 'FINISHED', ['roundRejected']],
  ['PROCESS', CANCELED, 'CANCELED', ['roundCanceled']],
  ['PROCESS', DEADLINE, 'CANCELED', ['roundCanceled']],
  ...(['FINISHED', 'CANCELED', 'RELEASED'] as const).flatMap((from) => [SESSION, RELEASE, ...PROVIDER_EVENTS].map((event): Row => [from, event, from, []])),
];

describe('signing round machine: every (state, event) pair', () => {
  it.each(rows)('%s + %o → %s', (from, event, to, effects) => {
    const step = stepMachine<RoundContext>(signingRoundMachine, { value: valueOf[from], context: ctx }, event);
    expect(roundStatusOf(step.state.value)).toBe(to);
    expect(step.effects.map((e) => e.type)).toEqual(effects);
  });

  it('starts in STARTING (a reservation) and is STARTED once its session is recorded', () => {
    const start = startMachine<RoundContext>(signingRoundMachine, { signerId: 's1' });
    expect(roundStatusOf(start.state.value)).toBe('STARTING');
    expect(start.effects).toEqual([]);
    const started = stepMachine<RoundContext>(signingRoundMachine, start.state, SESSION);
    expect(started.state.value).toEqual({ live: 'STARTED' });
  });

  it('carries the rejection reason and the provider failure reason', () => {
    const rejected = stepMachine<RoundContext>(signingRoundMachine, { value: valueOf.PROCESS, context: ctx }, REJECTED);
    expect(rejected.effects[0]).toEqual({ type: 'roundRejected', params: { signerId: 's1', reason: 'IDENTITY_MISMATCH', message: 'IIN differs' } });
    const expired = stepMachine<RoundContext>(signingRoundMachine, { value: valueOf.STARTED, context: ctx }, DEADLINE);
    expect(expired.effects[0]).toEqual({ type: 'roundCanceled', params: { signerId: 's1', failureReason: 'EXPIRED' } });
    expect(expired.state.context.failureReason).toBe('EXPIRED');
  });
});
