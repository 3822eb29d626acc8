import type { EntityManager } from 'typeorm';
import { type PersistedState, startMachine, type Step, stepMachine } from '../common/domain/machine-step.js';
import { isFinal } from './domain/round-rules.js';
import {
  type RoundContext,
  type RoundEffect,
  type RoundEvent,
  roundStatusOf,
  SIGNING_ROUND_MACHINE_VERSION,
  SIGNING_ROUND_MACHINE_VERSIONS_READ,
  signingRoundMachine,
} from './domain/signing-round.machine.js';
import { SigningRound } from './signing-round.entity.js';

/**
 * The round's machine snapshot is its state. The columns queries filter on (status, failure and rejection
 * reasons, finished_at) are derived from it here, the only place that writes them.
 */
export function roundColumns(state: PersistedState<RoundContext>, now = new Date()) {
  const status = roundStatusOf(state.value);
  return {
    machineState: state,
    machineVersion: SIGNING_ROUND_MACHINE_VERSION,
    status,
    failureReason: state.context.failureReason,
    rejectionReason: state.context.rejection?.reason ?? null,
    rejectionMessage: state.context.rejection?.message ?? null,
    finishedAt: isFinal(status) ? now : null,
  };
}

/** The stored snapshot, refused when a build that does not know its machine version wrote it. */
export function readRoundState(round: Pick<SigningRound, 'id' | 'machineVersion' | 'machineState'>): PersistedState<RoundContext> {
  if (!(SIGNING_ROUND_MACHINE_VERSIONS_READ as readonly number[]).includes(round.machineVersion)) {
    throw new Error(
      `Signing round ${round.id} was stored by round machine version ${round.machineVersion}; this build reads versions ${SIGNING_ROUND_MACHINE_VERSIONS_READ.join(', ')}. Run the matching Kezek version or migrate the row.`,
    );
  }
  return round.machineState;
}

type Reservation = Pick<SigningRound, 'organisationId' | 'envelopeId' | 'signerId' | 'routingOrder' | 'expiresAt'>;

/** What the reservation INSERT answers. */
export interface ReservedRow {
  id: string;
  attempt: number;
  created_at: Date;
}

/**
 * The INSERT of a new round in the machine's initial state (STARTING), numbered after the signer's rounds,
 * with its organisation and envelope from `source` (`FROM … [WHERE …]` whose row `e` has `organisation_id` and
 * `id`). It inserts nothing when the signer has an open round: the partial unique index
 * `signing_round_one_live_per_signer` refuses a second one. $1 to $6 are `newReservation(…).params`; the source's
 * own parameters follow.
 */
export function reservationInsert(source: string): string {
  return `INSERT INTO signing_round (organisation_id, envelope_id, signer_id, attempt, routing_order, uploads, expires_at, machine_state, machine_version, status)
     SELECT e.organisation_id, e.id, $1, (SELECT count(*) + 1 FROM signing_round WHERE signer_id = $1), $2, '[]', $3, $4::jsonb, $5, $6 ${source}
     ON CONFLICT (signer_id) WHERE status IN ('STARTING', 'STARTED', 'PROCESS') DO NOTHING
     RETURNING id, attempt, created_at`;
}

/** A reservation about to be made: `params` ($1 to $6 of reservationInsert), and `round`, the entity once inserted. */
export function newReservation(fields: Reservation) {
  const columns = roundColumns(startMachine<RoundContext, RoundEffect>(signingRoundMachine, { signerId: fields.signerId }).state);
  return {
    params: [fields.signerId, fields.routingOrder, fields.expiresAt, JSON.stringify(columns.machineState), columns.machineVersion, columns.status],
    round: (inserted: ReservedRow): SigningRound =>
      Object.assign(new SigningRound(), {
        ...fields,
        ...columns,
        id: inserted.id,
        attempt: inserted.attempt,
        createdAt: inserted.created_at,
        sessionId: null,
        checkId: null,
        uploads: [],
        redirectStatus: null,
        redirectReason: null,
        lastCheckedAt: null,
        checkFailures: 0,
      }),
  };
}

/** A new round (STARTING) in one statement; null when the signer has an open round. The caller holds the envelope lock. */
export async function reserveRound(manager: EntityManager, fields: Reservation): Promise<SigningRound | null> {
  const reservation = newReservation(fields);
  const [inserted] = (await manager.query(reservationInsert(`FROM (SELECT $7::uuid AS organisation_id, $8::uuid AS id) AS e`), [
    ...reservation.params,
    fields.organisationId,
    fields.envelopeId,
  ])) as ReservedRow[];
  return inserted ? reservation.round(inserted) : null;
}

/**
 * Applies `event` to a stored round and writes the next snapshot with its derived columns. The round row must be
 * protected by the caller (envelope lock).
 */
export async function stepRound(manager: EntityManager, round: SigningRound, event: RoundEvent): Promise<Step<RoundContext, RoundEffect>> {
  const change = roundStepChange(round, event, null, 1);
  await manager.query(`WITH ${change.cte} SELECT 1`, change.params);
  change.written();
  return change.step;
}

/**
 * A step of a stored round as a `stepped AS (UPDATE …)` CTE, for a caller that writes it in one statement
 * with what else it changes (the audit events recording it, the documents it kept): with `ifStatus`, the round
 * moves only while still in that status (`stepped` has its row then). Parameters are numbered from `from`. `written()` brings `round` up
 * to date once the statement said the step was written.
 */
export function roundStepChange(
  round: SigningRound,
  event: RoundEvent,
  ifStatus: SigningRound['status'] | null,
  from: number,
  extra: Partial<Pick<SigningRound, 'lastCheckedAt' | 'checkFailures'>> = {},
) {
  const step = stepMachine<RoundContext, RoundEffect>(signingRoundMachine, readRoundState(round), event);
  const columns = roundColumns(step.state);
  const p = (i: number) => `$${from + i}`;
  return {
    step,
    cte: `stepped AS (
      UPDATE signing_round SET machine_state = ${p(0)}::jsonb, machine_version = ${p(1)}, status = ${p(2)}, failure_reason = ${p(3)},
             rejection_reason = ${p(4)}, rejection_message = ${p(5)}, finished_at = ${p(6)}::timestamptz,
             last_checked_at = COALESCE(${p(9)}::timestamptz, last_checked_at), check_failures = COALESCE(${p(10)}::int, check_failures)
       WHERE id = ${p(7)} AND (${p(8)}::text IS NULL OR status = ${p(8)})
      RETURNING id)`,
    params: [
      JSON.stringify(columns.machineState),
      columns.machineVersion,
      columns.status,
      columns.failureReason,
      columns.rejectionReason,
      columns.rejectionMessage,
      columns.finishedAt,
      round.id,
      ifStatus,
      extra.lastCheckedAt ?? null,
      extra.checkFailures ?? null,
    ],
    written: () => Object.assign(round, columns, extra),
  };
}
