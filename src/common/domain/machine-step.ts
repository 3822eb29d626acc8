import { type AnyStateMachine, initialTransition, transition } from 'xstate';

/** What is stored for a machine instance: its state value and context (plus a status column and version). */
/** A state name, or an object for nested states (`{live: 'STARTED'}`). */
export type StateValue = string | { [state: string]: StateValue };

export interface PersistedState<TContext> {
  value: StateValue;
  context: TContext;
}

export interface Effect {
  type: string;
  params: unknown;
}

/**
 * The effects a machine can ask for, typed from its `setup({ actions })` declarations: each action that is
 * not a context update becomes `{ type: name, params }`.
 */
export type EffectsOf<TActions> = {
  [K in keyof TActions & string]: TActions[K] extends (args: never, params: infer P) => unknown ? { type: K; params: P } : never;
}[keyof TActions & string];

export interface Step<TContext, TEffect extends Effect = Effect> {
  state: PersistedState<TContext>;
  /** The machine's actions other than context updates, in order: what the caller must carry out. */
  effects: TEffect[];
  /** False when the event changed nothing (ignored in this state, or guarded off). */
  changed: boolean;
}

function toStep<TContext, TEffect extends Effect>(snapshot: { value: unknown; context: unknown }, actions: { type: string; params?: unknown }[], changed: boolean): Step<TContext, TEffect> {
  return {
    state: { value: snapshot.value as PersistedState<TContext>['value'], context: snapshot.context as TContext },
    // XState reports executed actions untyped; the machine's action declarations fix their types (EffectsOf).
    effects: actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => ({ type: a.type, params: a.params }) as TEffect),
    changed,
  };
}

/** The initial state of a new instance. */
export function startMachine<TContext, TEffect extends Effect = Effect>(machine: AnyStateMachine, input: unknown): Step<TContext, TEffect> {
  const [snapshot, actions] = initialTransition(machine, input);
  return toStep(snapshot, actions, true);
}

/** Pure: the next state and the effects of `event`, computed with XState's `transition()`. No actor runs. */
export function stepMachine<TContext, TEffect extends Effect = Effect>(machine: AnyStateMachine, persisted: PersistedState<TContext>, event: { type: string }): Step<TContext, TEffect> {
  const current = machine.resolveState({ value: persisted.value as Parameters<AnyStateMachine['resolveState']>[0]['value'], context: persisted.context });
  const [next, actions] = transition(machine, current, event);
  const changed = JSON.stringify(next.value) !== JSON.stringify(current.value) || next.context !== current.context || actions.length > 0;
  return toStep(next, actions, changed);
}
