import { DepositState } from './deposit-state';

/**
 * The kinds of message the store holds (column `kind`, persisted strings: only ever extended). Each row is one
 * LayerZero packet on one path, known by its GUID; the kind says which message body it becomes and which state
 * machine it follows (below: the one place they are declared).
 *
 * | kind         | path (src → dst)                    | body posted                  | ready to post in |
 * |--------------|-------------------------------------|------------------------------|------------------|
 * | `credit`     | vault → receiver                    | CREDIT, or VOID once voided  | VALUED / VOIDING |
 * | `withdrawal` | receiver → vault                    | WITHDRAWAL (refunds too)     | FINAL            |
 * | `result`     | vault → receiver                    | RELEASE_RESULT               | FINAL            |
 */
export enum MessageKind {
  Credit = 'credit',
  Withdrawal = 'withdrawal',
  Result = 'result',
}

/** Which way the amount moves: into the book (credit, and the result that closes a withdrawal) or out of it. */
export type Direction = 'inbound' | 'outbound';

export const DIRECTION: Readonly<Record<MessageKind, Direction>> = {
  [MessageKind.Credit]: 'inbound',
  [MessageKind.Withdrawal]: 'outbound',
  [MessageKind.Result]: 'inbound',
};

const S = DepositState;

/** Legal transitions of a credit (a deposit; a voided deposit posts a VOID instead of its CREDIT). */
const CREDIT: Readonly<Partial<Record<DepositState, readonly DepositState[]>>> = {
  [S.OBSERVED]: [S.FINAL, S.REORGED, S.CONFIRMING, S.CREDITED, S.OBSERVED],
  [S.FINAL]: [S.VALUED, S.HELD, S.CONFIRMING, S.CREDITED, S.VOIDING],
  [S.VALUED]: [S.ATTESTED, S.HELD, S.CONFIRMING, S.CREDITED, S.VOIDING],
  [S.ATTESTED]: [S.SUBMITTED, S.VALUED, S.HELD, S.CONFIRMING, S.CREDITED, S.VOIDING],
  [S.SUBMITTED]: [S.CONFIRMING, S.CREDITED, S.VALUED, S.FAILED, S.SUBMITTED, S.VOIDING],
  [S.CONFIRMING]: [S.CREDITED, S.VOIDED, S.VALUED, S.VOIDING],
  [S.HELD]: [S.VALUED, S.HELD, S.FAILED, S.CONFIRMING, S.CREDITED, S.VOIDING],
  // (a voided deposit HELD on a would-revert goes back to VOIDING, never through valuation)
  [S.FAILED]: [S.HELD, S.CONFIRMING, S.CREDITED, S.VOIDING],
  [S.VOIDING]: [S.ATTESTED, S.VOIDING, S.HELD, S.CONFIRMING, S.VOIDED],
  [S.CREDITED]: [],
  [S.VOIDED]: [],
  [S.REORGED]: [S.FINAL],
};

/** Legal transitions of a withdrawal or a release result: nothing to value, final → posted → delivered. */
const RELAYED: Readonly<Partial<Record<DepositState, readonly DepositState[]>>> = {
  [S.OBSERVED]: [S.FINAL, S.REORGED, S.CONFIRMING, S.DELIVERED, S.OBSERVED],
  [S.FINAL]: [S.ATTESTED, S.HELD, S.CONFIRMING, S.DELIVERED],
  [S.ATTESTED]: [S.SUBMITTED, S.FINAL, S.HELD, S.CONFIRMING, S.DELIVERED],
  [S.SUBMITTED]: [S.CONFIRMING, S.DELIVERED, S.FINAL, S.FAILED, S.SUBMITTED],
  [S.CONFIRMING]: [S.DELIVERED, S.FINAL],
  [S.HELD]: [S.FINAL, S.HELD, S.FAILED, S.CONFIRMING, S.DELIVERED],
  [S.FAILED]: [S.HELD, S.CONFIRMING, S.DELIVERED],
  [S.DELIVERED]: [],
  [S.REORGED]: [S.FINAL],
};

/** Every kind's state machine. Anything not listed is refused by `transition()` with IllegalTransitionError. */
export const STATE_MACHINES: Readonly<Record<MessageKind, Readonly<Partial<Record<DepositState, readonly DepositState[]>>>>> = {
  [MessageKind.Credit]: CREDIT,
  [MessageKind.Withdrawal]: RELAYED,
  [MessageKind.Result]: RELAYED,
};

export const ALL_KINDS: readonly MessageKind[] = Object.values(MessageKind);

export function isLegalTransitionFor(kind: MessageKind, from: DepositState | null, to: DepositState): boolean {
  if (from === null) return to === S.OBSERVED;
  return STATE_MACHINES[kind][from]?.includes(to) ?? false;
}

/** The kinds for which `from → to` is legal (the compare-and-set UPDATE is restricted to them). */
export function kindsAllowing(from: DepositState, to: DepositState): MessageKind[] {
  return ALL_KINDS.filter((k) => isLegalTransitionFor(k, from, to));
}

/** What a message of this kind is ready to be posted in (a voided credit: VOIDING). */
export function readyState(kind: MessageKind, voided: boolean): DepositState {
  if (kind === MessageKind.Credit) return voided ? S.VOIDING : S.VALUED;
  return S.FINAL;
}

/** Where a message ends once its destination applied it at finality. */
export function deliveredState(kind: MessageKind, voided: boolean): DepositState {
  if (kind === MessageKind.Credit) return voided ? S.VOIDED : S.CREDITED;
  return S.DELIVERED;
}
