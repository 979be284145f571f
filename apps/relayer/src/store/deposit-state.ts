/**
 * Persisted deposit states. Stored as these strings: ONLY EVER EXTENDED, NEVER RENAMED OR REMOVED
 * (old rows and operators' scripts depend on them).
 *
 *   OBSERVED ─▶ FINAL ─▶ VALUED ─▶ ATTESTED ─▶ SUBMITTED ─▶ CREDITED
 *    │  ▲ ↺       ▲  │        ▲  │        │           │
 *    ▼  │         │  ▼        │  ▼        ▼           ▼
 *   REORGED ──────┘ HELD ─────┘ HELD     VALUED     VALUED (tx dropped) / FAILED
 *                    │
 *                    ▼ (attempts exhausted)
 *                  FAILED ─▶ HELD (operator retry)
 *
 * SUBMITTED → SUBMITTED ('fee-bumped'): the stuck transaction was replaced (same nonce, higher fees).
 * OBSERVED is written by the head scan (block above the finality bound). OBSERVED → OBSERVED ('reincluded'): the
 * same GUID turned up in another block before finality (the row follows it). OBSERVED → REORGED ('reorged'): its
 * block is at or below the finality bound and its log is not in the canonical chain. REORGED is terminal for the
 * pipeline (never valued, never posted); the one way out is REORGED → FINAL ('reincluded'), when the finality scan
 * finds the same GUID in a final block: the vault's nonce — and so the GUID — was used again (the same lock re-mined,
 * or another lock that took the freed nonce). The row then takes the canonical log's fields, and the ordered channel,
 * which waits at that nonce, moves on.
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
  /** OBSERVED → REORGED: the log left the canonical chain before finality. */
  Reorged = 'reorged',
  /** The same GUID found again in another block (OBSERVED → OBSERVED, REORGED → FINAL). */
  Reincluded = 'reincluded',
  /** SUBMITTED → SUBMITTED: the stuck transaction was replaced (same nonce, fees × 1.10). */
  FeeBumped = 'fee-bumped',
}

const S = DepositState;

/** Legal transitions. Anything else is refused by `transition()` with IllegalTransitionError. */
export const LEGAL_TRANSITIONS: Readonly<Record<DepositState, readonly DepositState[]>> = {
  [S.OBSERVED]: [S.FINAL, S.REORGED, S.CREDITED, S.OBSERVED],
  [S.FINAL]: [S.VALUED, S.HELD, S.CREDITED],
  [S.VALUED]: [S.ATTESTED, S.HELD, S.CREDITED],
  [S.ATTESTED]: [S.SUBMITTED, S.VALUED, S.HELD, S.CREDITED],
  [S.SUBMITTED]: [S.CREDITED, S.VALUED, S.FAILED, S.SUBMITTED],
  [S.HELD]: [S.VALUED, S.HELD, S.FAILED, S.CREDITED],
  [S.FAILED]: [S.HELD, S.CREDITED],
  [S.CREDITED]: [],
  [S.REORGED]: [S.FINAL],
};

export function isLegalTransition(from: DepositState | null, to: DepositState): boolean {
  if (from === null) return to === S.OBSERVED;
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** States whose amount is still on its way to the destination (counted by GET /in-flight). */
export const IN_FLIGHT_STATES: readonly DepositState[] = [S.OBSERVED, S.FINAL, S.VALUED, S.ATTESTED, S.SUBMITTED, S.HELD, S.FAILED];
