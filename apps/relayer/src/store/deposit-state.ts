/**
 * Persisted deposit states. Stored as these strings: ONLY EVER EXTENDED, NEVER RENAMED OR REMOVED
 * (old rows and operators' scripts depend on them).
 *
 *   OBSERVED ─▶ FINAL ─▶ VALUED ─▶ ATTESTED ─▶ SUBMITTED ─▶ CREDITED
 *      │          │        ▲  │        │           │
 *      ▼          ▼        │  ▼        ▼           ▼
 *   REORGED      HELD ─────┘ HELD     VALUED     VALUED (tx dropped) / FAILED
 *                 │
 *                 ▼ (attempts exhausted)
 *               FAILED ─▶ HELD (operator retry)
 *
 * Any not-yet-credited state can become CREDITED with reason `reconciled` when the receiver's
 * `lastNonce` shows the deposit was already credited on chain.
 */
export enum DepositState {
  /** Seen in a block that is not final yet. */
  OBSERVED = 'OBSERVED',
  /** Its block is at or below the chain's finality bound. */
  FINAL = 'FINAL',
  /** Priced and haircut; waiting for its turn on the pathway. */
  VALUED = 'VALUED',
  /** In a batch the attesters signed and the receiver accepted in simulation. */
  ATTESTED = 'ATTESTED',
  /** In a transaction that was signed and broadcast (tx hash persisted before broadcast). */
  SUBMITTED = 'SUBMITTED',
  /** Credited on the destination chain. Terminal. */
  CREDITED = 'CREDITED',
  /** Waiting for a retry; `reason` says why, `nextAttemptAt` says when. */
  HELD = 'HELD',
  /** Retries exhausted; only an operator retry moves it on. */
  FAILED = 'FAILED',
  /** Its block left the canonical chain before finality. Terminal. */
  REORGED = 'REORGED',
}

/**
 * Why a deposit is HELD or FAILED (or how it became CREDITED). Persisted strings: only ever extended.
 */
export enum HeldReason {
  StalePrice = 'stale-price',
  UnsupportedAsset = 'unsupported-asset',
  PriceDeviation = 'price-deviation',
  NonPositivePrice = 'non-positive-price',
  FuturePrice = 'future-price',
  LowConfidence = 'low-confidence',
  NoPrice = 'no-price',
  PriceOutOfBounds = 'price-out-of-bounds',
  RiskRefused = 'risk-refused',
  RpcError = 'rpc-error',
  WouldRevert = 'would-revert',
  TxReverted = 'tx-reverted',
  TxDropped = 'tx-dropped',
  InvalidDeposit = 'invalid-deposit',
  RetriesExhausted = 'retries-exhausted',
  Manual = 'manual',
  Reconciled = 'reconciled',
}

const S = DepositState;

/** Legal transitions. Anything else is refused by `transition()` with IllegalTransitionError. */
export const LEGAL_TRANSITIONS: Readonly<Record<DepositState, readonly DepositState[]>> = {
  [S.OBSERVED]: [S.FINAL, S.REORGED, S.CREDITED],
  [S.FINAL]: [S.VALUED, S.HELD, S.CREDITED],
  [S.VALUED]: [S.ATTESTED, S.HELD, S.CREDITED],
  [S.ATTESTED]: [S.SUBMITTED, S.VALUED, S.HELD, S.CREDITED],
  [S.SUBMITTED]: [S.CREDITED, S.VALUED, S.FAILED],
  [S.HELD]: [S.VALUED, S.HELD, S.FAILED, S.CREDITED],
  [S.FAILED]: [S.HELD, S.CREDITED],
  [S.CREDITED]: [],
  [S.REORGED]: [],
};

export function isLegalTransition(from: DepositState | null, to: DepositState): boolean {
  if (from === null) return to === S.OBSERVED;
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** States whose amount is still on its way to the destination (counted by GET /in-flight). */
export const IN_FLIGHT_STATES: readonly DepositState[] = [S.OBSERVED, S.FINAL, S.VALUED, S.ATTESTED, S.SUBMITTED, S.HELD, S.FAILED];
