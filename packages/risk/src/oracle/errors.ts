import { RiskError, type RiskErrorParameters } from '../errors';
import { formatDecimal } from '../money/fixed';

/** Prices, ratios and confidences are 18-decimal Fixed: messages and details show them as decimals ("2000.5"). */
const dec = (x: bigint): string => formatDecimal(x);

/**
 * Why a price was refused. Stable strings: the relayer persists them as the reason a deposit is HELD.
 * Only ever extended, never renamed.
 */
export const ORACLE_REFUSAL_REASONS = ['non-positive-price', 'stale-price', 'future-price', 'price-deviation', 'low-confidence', 'no-price'] as const;
export type OracleRefusalReason = (typeof ORACLE_REFUSAL_REASONS)[number];

/** Base of every price refusal: a RiskError with a stable `reason`. */
export abstract class OracleError extends RiskError {
  abstract readonly reason: OracleRefusalReason;

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

/** The price is zero or negative. */
export class NonPositivePriceError extends OracleError {
  override readonly name = 'NonPositivePriceError' as const;
  readonly reason = 'non-positive-price' as const;
  constructor(args: { price: bigint; source?: string | undefined }, parameters: RiskErrorParameters = {}) {
    super(`price ${dec(args.price)} of ${args.source ?? 'feed'} is not positive`, { ...parameters, details: { ...args, price: dec(args.price) } });
  }
}

/** The price is older than its feed's heartbeat. */
export class StalePriceError extends OracleError {
  override readonly name = 'StalePriceError' as const;
  readonly reason = 'stale-price' as const;
  readonly ageSeconds: bigint;
  readonly heartbeatSeconds: bigint;
  constructor(args: { ageSeconds: bigint; heartbeatSeconds: bigint; timestamp: bigint; now: bigint; source?: string | undefined }, parameters: RiskErrorParameters = {}) {
    super(`price of ${args.source ?? 'feed'} is ${args.ageSeconds}s old, heartbeat is ${args.heartbeatSeconds}s`, { ...parameters, details: { ...args } });
    this.ageSeconds = args.ageSeconds;
    this.heartbeatSeconds = args.heartbeatSeconds;
  }
}

/** The price is dated further in the future than the allowed clock skew. */
export class FutureTimestampError extends OracleError {
  override readonly name = 'FutureTimestampError' as const;
  readonly reason = 'future-price' as const;
  constructor(args: { timestamp: bigint; now: bigint; maxFutureSkewSeconds: bigint; source?: string | undefined }, parameters: RiskErrorParameters = {}) {
    super(`price of ${args.source ?? 'feed'} is dated ${args.timestamp - args.now}s in the future (allowed ${args.maxFutureSkewSeconds}s)`, {
      ...parameters,
      details: { ...args },
    });
  }
}

/** A source deviates from the median of the sources by more than the feed's bound. */
export class PriceDeviationError extends OracleError {
  override readonly name = 'PriceDeviationError' as const;
  readonly reason = 'price-deviation' as const;
  constructor(args: { median: bigint; price: bigint; deviation: bigint; maxDeviation: bigint; source?: string | undefined }, parameters: RiskErrorParameters = {}) {
    super(`price ${dec(args.price)} of ${args.source ?? 'a source'} deviates from the median ${dec(args.median)} by ${dec(args.deviation)}, more than ${dec(args.maxDeviation)}`, {
      ...parameters,
      details: { ...args, median: dec(args.median), price: dec(args.price), deviation: dec(args.deviation), maxDeviation: dec(args.maxDeviation) },
    });
  }
}

/**
 * The price's confidence interval is too wide: price − k·conf ≤ 0, or conf/price above the allowed ratio.
 * `args` are shown as given: callers pass Fixed values already as decimals.
 */
export class LowConfidenceError extends OracleError {
  override readonly name = 'LowConfidenceError' as const;
  readonly reason = 'low-confidence' as const;
  constructor(message: string, args: Record<string, unknown>, parameters: RiskErrorParameters = {}) {
    super(message, { ...parameters, details: args });
  }
}

/** No price is available for an asset (no sources, or none configured). */
export class MissingPriceError extends OracleError {
  override readonly name = 'MissingPriceError' as const;
  readonly reason = 'no-price' as const;
  constructor(args: { asset?: string | undefined; sources?: number | undefined }, parameters: RiskErrorParameters = {}) {
    super(`no price for ${args.asset ?? 'the asset'}`, { ...parameters, details: { ...args } });
  }
}
