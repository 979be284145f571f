/**
 * Persisted message states (the `deposit` table holds every message kind — see message-kind.ts for which states
 * each kind uses and how it may move). Stored as these strings: ONLY EVER EXTENDED, NEVER RENAMED OR REMOVED
 * (old rows and operators' scripts depend on them).
 *
 * A CREDIT (a deposit):
 *   OBSERVED ─▶ FINAL ─▶ VALUED ─▶ ATTESTED ─▶ SUBMITTED ─▶ CONFIRMING ─▶ CREDITED
 *    │  ▲ ↺       ▲  │        ▲  │        │           │            │
 *    ▼  │         │  ▼        │  ▼        ▼           ▼            ▼ (destination reorg: 'dest-reorged')
 *   REORGED ──────┘ HELD ─────┘ HELD     VALUED     VALUED (tx dropped) / FAILED        VALUED
 *                    │
 *                    ▼ (attempts exhausted)
 *                  FAILED ─▶ HELD (operator retry)
 *   operator VOID (HELD, FAILED, FINAL, VALUED) ─▶ VOIDING ─▶ ATTESTED ─▶ SUBMITTED ─▶ CONFIRMING ─▶ VOIDED
 *
 * A WITHDRAWAL (derivatives chain → vault) or a RELEASE_RESULT (vault → derivatives chain):
 *   OBSERVED ─▶ FINAL ─▶ ATTESTED ─▶ SUBMITTED ─▶ CONFIRMING ─▶ DELIVERED       (HELD / FAILED / REORGED as above)
 *
 * SUBMITTED → SUBMITTED ('fee-bumped'): the stuck transaction was replaced (same nonce, higher fees).
 * OBSERVED is written by the head scan (block above the finality bound). OBSERVED → OBSERVED ('reincluded'): the
 * same GUID turned up in another block before finality (the row follows it). OBSERVED → REORGED ('reorged'): its
 * block is at or below the finality bound and its log is not in the canonical chain. REORGED is terminal for the
 * pipeline (never valued, never posted); the one way out is REORGED → FINAL ('reincluded'), when the finality scan
 * finds the same GUID in a final block: the nonce — and so the GUID — was used again.
 *
 * CONFIRMING: applied on the destination (its inbound nonce is past it at the latest block) but not yet at the
 * destination's finality bound. It becomes terminal (CREDITED, VOIDED, DELIVERED) once the inbound nonce read AT the
 * finality bound is past it, and goes back to its ready state ('dest-reorged') if the latest inbound nonce falls
 * below it again (a destination reorg dropped the transaction). Any not-yet-delivered state can become CONFIRMING
 * with reason `reconciled` when the destination shows it was applied (by us before a crash, or by anyone else).
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
  /** Applied on the destination at its latest block, not yet at its finality bound. */
  CONFIRMING = 'CONFIRMING',
  /** A WITHDRAWAL or RELEASE_RESULT applied on its destination at finality. Terminal. */
  DELIVERED = 'DELIVERED',
  /** An operator voided this deposit: a VOID (not a CREDIT) is to be posted at its nonce. */
  VOIDING = 'VOIDING',
  /** The VOID landed at the destination's finality: nothing credited, a refund was requested. Terminal. */
  VOIDED = 'VOIDED',
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
  /** CONFIRMING → ready: the destination's latest inbound nonce fell below it (a destination reorg dropped the tx). */
  DestReorged = 'dest-reorged',
  /** → VOIDING: an operator voided the deposit (the VOID's own reason code is in `voidReason`). */
  Voided = 'voided',
  /** A withdrawal or release result the destination refuses for good (see reasonDetail). */
  Refused = 'refused',
  /** Fewer attesters than the threshold signed its batch (down, or refusing: reasonDetail names each and why); retried. */
  AttestationQuorum = 'attestation-quorum',
  /**
   * Limits (apps/relayer/src/limits): crediting it now would take its source chain past the notional limit of the
   * sliding window; `nextAttemptAt` = when enough of the window has expired for it to fit.
   */
  RateLimited = 'rate-limited',
  /** Limits: above the chain's single-transfer limit; waits until its finality time + `largeTransferDelaySeconds`. */
  LargeTransferDelay = 'large-transfer-delay',
  /** Limits: its haircut value alone is above the chain's whole window limit; FAILED, waits for an operator retry. */
  OverLimit = 'over-limit',
  /** Limits: an earlier nonce of its path is not admitted yet; it waits its turn (the limits never reorder a path). */
  LimitQueued = 'limit-queued',
  /** Its asset's price feed reverted, or answered nothing decodable (a feed problem, not the RPC endpoint's); retried. */
  FeedError = 'feed-error',
  /** Its asset's price feed address has no code on the feed's chain (misconfigured or not deployed); retried. */
  FeedMissing = 'feed-missing',
}

/** States whose amount is still on its way to the destination (counted by GET /in-flight). */
export const IN_FLIGHT_STATES: readonly DepositState[] = [
  DepositState.OBSERVED,
  DepositState.FINAL,
  DepositState.VALUED,
  DepositState.ATTESTED,
  DepositState.SUBMITTED,
  DepositState.CONFIRMING,
  DepositState.HELD,
  DepositState.FAILED,
  DepositState.VOIDING,
];

/** States after which nothing more happens to a message. */
export const TERMINAL_STATES: readonly DepositState[] = [DepositState.CREDITED, DepositState.VOIDED, DepositState.DELIVERED, DepositState.REORGED];
