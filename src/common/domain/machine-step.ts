import { type AnyStateMachine, initialTransition, transition } from 'xstate';

/** What is stored for a machine instance: its state value and context (plus a status column and version). */
export interface PersistedState<TContext> {
  /** A state name, or an object for nested states (`{live: 'STARTED'}`). */
  value: string | Record<string, unknown>;
  context: TContext;
}

export interface Effect {
  type: string;
  params: unknown;
}

export interface Step<TContext> {
  state: PersistedState<TContext>;
  /** The machine's actions other than context updates, in order: what the caller must carry out. */
  effects: Effect[];
  /** False when the event changed nothing (ignored in this state, or guarded off). */
  changed: boolean;
}

function toStep<TContext>(snapshot: { value: unknown; context: unknown }, actions: { type: string; params?: unknown }[], changed: boolean): Step<TContext> {
  return {
    state: { value: snapshot.value as PersistedState<TContext>['value'], context: snapshot.context as TContext },
    effects: actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => ({ type: a.type, params: a.params })),
    changed,
  };
}

/** The initial state of a new instance. */
export function startMachine<TContext>(machine: AnyStateMachine, input: unknown): Step<TContext> {
  const [snapshot, actions] = initialTransition(machine, input);
  return toStep(snapshot, actions, true);
}

/** Pure: the next state and the effects of `event`, computed with XState's `transition()`. No actor runs. */
export function stepMachine<TContext>(machine: AnyStateMachine, persisted: PersistedState<TContext>, event: { type: string }): Step<TContext> {
  const current = machine.resolveState({ value: persisted.value as Parameters<AnyStateMachine['resolveState']>[0]['value'], context: persisted.context });
  const [next, actions] = transition(machine, current, event);
  const changed = JSON.stringify(next.value) !== JSON.stringify(current.value) || next.context !== current.context || actions.length > 0;
  return toStep(next, actions, changed);
}
