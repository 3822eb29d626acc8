import { type PersistedState, startMachine, stepMachine } from '../../common/domain/machine-step.js';
import { type EnvelopeContext, type EnvelopeEvent, type EnvelopeStatus, envelopeMachine, type SignerStatus } from './envelope.machine.js';

/** Signers: a (order 1), b and c (order 2, in parallel), d (order 3); two attempts each. */
function context(statuses: Record<'a' | 'b' | 'c' | 'd', SignerStatus>, attempts: Partial<Record<string, number>> = {}, activeOrder: number | null = null): EnvelopeContext {
  const orders = { a: 1, b: 2, c: 2, d: 3 };
  return {
    signers: (['a', 'b', 'c', 'd'] as const).map((id) => ({ id, routingOrder: orders[id], status: statuses[id], attempts: attempts[id] ?? 0 })),
    maxAttempts: 2,
    activeOrder,
    reason: null,
  };
}

const fresh = context({ a: 'WAITING', b: 'WAITING', c: 'WAITING', d: 'WAITING' });
const aActive = context({ a: 'ACTIVE', b: 'WAITING', c: 'WAITING', d: 'WAITING' }, {}, 1);
const pairActive = context({ a: 'SIGNED', b: 'ACTIVE', c: 'ACTIVE', d: 'WAITING' }, {}, 2);
const bSignedCActive = context({ a: 'SIGNED', b: 'SIGNED', c: 'ACTIVE', d: 'WAITING' }, {}, 2);
const dActive = context({ a: 'SIGNED', b: 'SIGNED', c: 'SIGNED', d: 'ACTIVE' }, {}, 3);
const aActiveOneAttemptLeft = context({ a: 'ACTIVE', b: 'WAITING', c: 'WAITING', d: 'WAITING' }, { a: 1 }, 1);

const SEND: EnvelopeEvent = { type: 'SEND' };
const accepted = (signerId: string): EnvelopeEvent => ({ type: 'ROUND_ACCEPTED', signerId });
const unsuccessful = (signerId: string): EnvelopeEvent => ({ type: 'ROUND_UNSUCCESSFUL', signerId, outcome: 'canceled', reason: 'LIVENESS' });
const declined = (signerId: string): EnvelopeEvent => ({ type: 'SIGNER_DECLINED', signerId, reason: 'Wrong amount' });
const identityFailed = (signerId: string): EnvelopeEvent => ({ type: 'IDENTITY_FAILED', signerId, reason: 'FACE_MISMATCH' });
const CANCEL: EnvelopeEvent = { type: 'CANCEL', reason: 'Replaced by v2' };
const EXPIRE: EnvelopeEvent = { type: 'EXPIRE' };

const FINAL: EnvelopeStatus[] = ['COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED'];

type Row = [label: string, from: EnvelopeStatus, ctx: EnvelopeContext, event: EnvelopeEvent, to: EnvelopeStatus, effects: string[]];

const rows: Row[] = [
  // DRAFT
  ['send activates the first group', 'DRAFT', fresh, SEND, 'IN_PROGRESS', ['activateSigners']],
  ['a result before sending is ignored', 'DRAFT', fresh, accepted('a'), 'DRAFT', []],
  ['an unsuccessful round before sending is ignored', 'DRAFT', fresh, unsuccessful('a'), 'DRAFT', []],
  ['a decline before sending is ignored', 'DRAFT', fresh, declined('a'), 'DRAFT', []],
  ['a draft can be canceled', 'DRAFT', fresh, CANCEL, 'CANCELED', ['envelopeFinished']],
  ['a draft does not expire', 'DRAFT', fresh, EXPIRE, 'DRAFT', []],
  ['an identity failure before sending is ignored', 'DRAFT', fresh, identityFailed('a'), 'DRAFT', []],
  // IN_PROGRESS
  ['sending twice changes nothing', 'IN_PROGRESS', aActive, SEND, 'IN_PROGRESS', []],
  ['the single signer of a group signs: next group activated', 'IN_PROGRESS', aActive, accepted('a'), 'IN_PROGRESS', ['signerSigned', 'groupCompleted', 'activateSigners']],
  ['one of a parallel pair signs: group still open', 'IN_PROGRESS', pairActive, accepted('b'), 'IN_PROGRESS', ['signerSigned']],
  ['the second of the pair signs: group merged, next activated', 'IN_PROGRESS', bSignedCActive, accepted('c'), 'IN_PROGRESS', ['signerSigned', 'groupCompleted', 'activateSigners']],
  ['the last signer signs: completed', 'IN_PROGRESS', dActive, accepted('d'), 'COMPLETED', ['signerSigned', 'groupCompleted', 'envelopeFinished']],
  ['a result for a waiting signer is ignored', 'IN_PROGRESS', aActive, accepted('d'), 'IN_PROGRESS', []],
  ['a duplicate result for a signed signer is ignored', 'IN_PROGRESS', pairActive, accepted('a'), 'IN_PROGRESS', []],
  ['an unsuccessful round counts an attempt', 'IN_PROGRESS', aActive, unsuccessful('a'), 'IN_PROGRESS', ['attemptCounted']],
  ['the last allowed attempt fails the signer and the envelope', 'IN_PROGRESS', aActiveOneAttemptLeft, unsuccessful('a'), 'FAILED', ['attemptCounted', 'signerFailed', 'envelopeFinished']],
  ['an unsuccessful round of an inactive signer is ignored', 'IN_PROGRESS', aActive, unsuccessful('b'), 'IN_PROGRESS', []],
  ['the active signer declines', 'IN_PROGRESS', aActive, declined('a'), 'DECLINED', ['signerDeclined', 'envelopeFinished']],
  ['a waiting signer declines ahead of their turn', 'IN_PROGRESS', aActive, declined('d'), 'DECLINED', ['signerDeclined', 'envelopeFinished']],
  ['a signer who already signed cannot decline', 'IN_PROGRESS', pairActive, declined('a'), 'IN_PROGRESS', []],
  ['identity attempts used up fail the signer and the envelope', 'IN_PROGRESS', aActive, identityFailed('a'), 'FAILED', ['signerFailed', 'envelopeFinished']],
  ['an identity failure of a waiting signer is ignored', 'IN_PROGRESS', aActive, identityFailed('d'), 'IN_PROGRESS', []],
  ['cancel', 'IN_PROGRESS', aActive, CANCEL, 'CANCELED', ['envelopeFinished']],
  ['expire', 'IN_PROGRESS', aActive, EXPIRE, 'EXPIRED', ['envelopeFinished']],
  // Final states ignore everything.
  ...FINAL.flatMap((status) =>
    [SEND, accepted('a'), unsuccessful('a'), declined('a'), identityFailed('a'), CANCEL, EXPIRE].map(
      (event): Row => [`${status} ignores ${event.type}`, status, aActive, event, status, []],
    ),
  ),
];

describe('envelope machine: every (state, event) pair', () => {
  it.each(rows)('%s', (_label, from, ctx, event, to, effects) => {
    const step = stepMachine<EnvelopeContext>(envelopeMachine, { value: from, context: ctx }, event);
    expect(step.state.value).toBe(to);
    expect(step.effects.map((e) => e.type)).toEqual(effects);
    expect(step.changed).toBe(to !== from || effects.length > 0);
  });

  it('covers all 7 states × 7 events', () => {
    const pairs = new Set(rows.map(([, from, , event]) => `${from}/${event.type}`));
    expect(pairs.size).toBe(49);
  });
});

describe('envelope machine: routing', () => {
  function run(state: PersistedState<EnvelopeContext>, ...events: EnvelopeEvent[]) {
    const log: { type: string; params: unknown }[] = [];
    for (const event of events) {
      const step = stepMachine<EnvelopeContext>(envelopeMachine, state, event);
      state = step.state;
      log.push(...step.effects);
    }
    return { state, log };
  }

  it('goes through sequential and parallel groups in routing order to completion', () => {
    const start = startMachine<EnvelopeContext>(envelopeMachine, {
      signers: [
        { id: 'd', routingOrder: 30 },
        { id: 'b', routingOrder: 20 },
        { id: 'a', routingOrder: 10 },
        { id: 'c', routingOrder: 20 },
      ],
      maxAttempts: 3,
    });
    expect(start.state.value).toBe('DRAFT');
    const { state, log } = run(start.state, SEND, accepted('a'), accepted('c'), accepted('b'), accepted('d'));
    expect(state.value).toBe('COMPLETED');
    expect(log.filter((e) => e.type === 'activateSigners').map((e) => e.params)).toEqual([
      { signerIds: ['a'], routingOrder: 10 },
      { signerIds: ['b', 'c'], routingOrder: 20 },
      { signerIds: ['d'], routingOrder: 30 },
    ]);
    expect(log.filter((e) => e.type === 'groupCompleted').map((e) => (e.params as { routingOrder: number }).routingOrder)).toEqual([10, 20, 30]);
    expect(state.context.signers.every((s) => s.status === 'SIGNED')).toBe(true);
  });

  it('keeps the signer active after a failed attempt and counts attempts', () => {
    const start = startMachine<EnvelopeContext>(envelopeMachine, { signers: [{ id: 'a', routingOrder: 1 }], maxAttempts: 3 });
    const { state, log } = run(start.state, SEND, unsuccessful('a'), unsuccessful('a'), accepted('a'));
    expect(state.value).toBe('COMPLETED');
    expect(log.filter((e) => e.type === 'attemptCounted').map((e) => (e.params as { attempts: number }).attempts)).toEqual([1, 2]);
  });

  it('records the reason of a cancel and of a failure', () => {
    const start = startMachine<EnvelopeContext>(envelopeMachine, { signers: [{ id: 'a', routingOrder: 1 }], maxAttempts: 1 });
    const canceled = run(start.state, SEND, CANCEL);
    expect(canceled.log.at(-1)).toEqual({ type: 'envelopeFinished', params: { status: 'CANCELED', reason: 'Replaced by v2' } });
    const failed = run(start.state, SEND, unsuccessful('a'));
    expect(failed.state.value).toBe('FAILED');
    expect(failed.state.context.reason).toMatch(/1 attempts \(last: LIVENESS\)/);
  });
});
