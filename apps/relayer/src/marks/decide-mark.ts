/**
 * The marker's rule, the one Chainlink's feeds follow (deviation threshold + heartbeat): given an asset's mark on the
 * receiver and the mark the relayer would post now, post or not. Pure, exact bigint maths (no floats on prices).
 */

/** An asset's mark as the receiver keeps it (`markOf`; all zero before the first mark). */
export type OnChainMark = {
  /** USD per whole token, 18 decimals. */
  price: bigint;
  /** 18 decimals (1e18 = 100 %). */
  haircut: bigint;
  /** Unix seconds of the price. */
  timestamp: bigint;
  /** Strictly increasing per asset; 0: no mark yet. */
  nonce: bigint;
};

/** What the relayer would post now: the valuation price after the guard and confidence, the effective haircut. */
export type MarkCandidate = {
  price: bigint;
  haircut: bigint;
  /** The oracle's `updatedAt`. */
  priceTimestamp: bigint;
};

/** Why a mark is posted. */
export const MarkTrigger = {
  /** The asset has no mark on the receiver yet. */
  FirstMark: 'first-mark',
  /** |price − mark price| / mark price above the threshold. */
  PriceDeviation: 'price-deviation',
  /** |haircut − mark haircut| / mark haircut above the same threshold. */
  HaircutMoved: 'haircut-moved',
  /** The mark is at least `heartbeatSeconds` old and the oracle has a newer price. */
  Heartbeat: 'heartbeat',
} as const;
export type MarkTrigger = (typeof MarkTrigger)[keyof typeof MarkTrigger];

/** Why nothing is posted although the price was accepted. */
export const MarkHold = {
  /** Neither moved beyond the threshold and the mark is younger than the heartbeat: the normal case. */
  WithinThreshold: 'within-threshold',
  /** The heartbeat is due but the oracle's price is no newer than the mark's: reposting it would not refresh the mark. */
  NoNewerPrice: 'no-newer-price',
  /** The oracle's price is older than the mark's (the receiver refuses it: InvalidMark reason 5). */
  OlderThanMark: 'older-than-mark',
} as const;
export type MarkHold = (typeof MarkHold)[keyof typeof MarkHold];

export type MarkDecision = { post: true; trigger: MarkTrigger } | { post: false; hold: MarkHold };

export type DecideMarkParameters = {
  current: OnChainMark;
  candidate: MarkCandidate;
  /** Unix seconds on the receiver's clock (the later of its latest block time and the wall clock). */
  now: bigint;
  /** `marks.deviationBps`: 50 = 0.5 %. */
  deviationBps: number;
  /** `marks.heartbeatSeconds`. */
  heartbeatSeconds: number;
};

const BPS = 10_000n;

/**
 * True when `value` moved from `reference` by more than `bps` basis points of it: |value − reference| · 10⁴ > bps ·
 * reference (exact). From a reference of 0 any other value is a move.
 */
export function movedBeyond(value: bigint, reference: bigint, bps: number): boolean {
  if (reference === 0n) return value !== 0n;
  const delta = value > reference ? value - reference : reference - value;
  return delta * BPS > BigInt(bps) * reference;
}

/**
 * Post when there is no mark yet, when the price or the haircut moved beyond `deviationBps`, or when the mark is at
 * least `heartbeatSeconds` old and the oracle has a newer price. A price older than the mark is never posted (the
 * receiver would refuse it), whatever moved.
 */
export function decideMark({ current, candidate, now, deviationBps, heartbeatSeconds }: DecideMarkParameters): MarkDecision {
  if (current.nonce === 0n) return { post: true, trigger: MarkTrigger.FirstMark };
  if (candidate.priceTimestamp < current.timestamp) return { post: false, hold: MarkHold.OlderThanMark };
  if (movedBeyond(candidate.price, current.price, deviationBps)) return { post: true, trigger: MarkTrigger.PriceDeviation };
  if (movedBeyond(candidate.haircut, current.haircut, deviationBps)) return { post: true, trigger: MarkTrigger.HaircutMoved };
  if (now - current.timestamp >= BigInt(heartbeatSeconds)) {
    return candidate.priceTimestamp > current.timestamp ? { post: true, trigger: MarkTrigger.Heartbeat } : { post: false, hold: MarkHold.NoNewerPrice };
  }
  return { post: false, hold: MarkHold.WithinThreshold };
}
