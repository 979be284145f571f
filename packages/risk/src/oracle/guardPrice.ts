import { InvalidInputError } from '../errors';
import { type Fixed, mulDiv, ONE } from '../money/fixed';
import { FutureTimestampError, LowConfidenceError, NonPositivePriceError, StalePriceError } from './errors';
import type { OraclePrice } from './price';

export type GuardPriceParameters = {
  /** This feed's heartbeat: the longest age a price may have. Per feed, never a shared value. */
  heartbeatSeconds: bigint | number;
  /** Unix seconds now. */
  now: bigint;
  /** How far in the future a timestamp may be (clock skew between feed and relayer). Default 5 s. */
  maxFutureSkewSeconds?: bigint | number | undefined;
  /** Refuse when confidence / price is above this ratio (Fixed, e.g. 0.02 = 2%). Default: no limit. */
  maxConfidenceRatio?: Fixed | undefined;
};

export const DEFAULT_MAX_FUTURE_SKEW_SECONDS = 5n;

/**
 * Returns the price unchanged when it may be used, otherwise throws a typed OracleError:
 * non-positive → NonPositivePriceError, older than the heartbeat → StalePriceError,
 * dated after now + skew → FutureTimestampError, too wide a confidence → LowConfidenceError.
 */
export function guardPrice(price: OraclePrice, parameters: GuardPriceParameters): OraclePrice {
  const heartbeat = seconds(parameters.heartbeatSeconds, 'heartbeatSeconds');
  if (heartbeat <= 0n) throw new InvalidInputError('heartbeat must be positive', { field: 'heartbeatSeconds', details: { heartbeat } });
  const skew = seconds(parameters.maxFutureSkewSeconds ?? DEFAULT_MAX_FUTURE_SKEW_SECONDS, 'maxFutureSkewSeconds');
  if (skew < 0n) throw new InvalidInputError('future skew must not be negative', { field: 'maxFutureSkewSeconds', details: { skew } });
  const { now } = parameters;
  const source = price.source;

  if (price.price <= 0n) throw new NonPositivePriceError({ price: price.price, source });
  if (price.timestamp > now + skew)
    throw new FutureTimestampError({ timestamp: price.timestamp, now, maxFutureSkewSeconds: skew, source });
  const age = now - price.timestamp;
  if (age > heartbeat) throw new StalePriceError({ ageSeconds: age, heartbeatSeconds: heartbeat, timestamp: price.timestamp, now, source });

  const confidence = price.confidence ?? 0n;
  if (confidence < 0n) throw new LowConfidenceError('confidence must not be negative', { confidence, source });
  if (parameters.maxConfidenceRatio !== undefined) {
    const ratio = mulDiv(confidence, ONE, price.price, 'up');
    if (ratio > parameters.maxConfidenceRatio)
      throw new LowConfidenceError(`confidence is ${ratio} of the price (1e18 = 100%), above the allowed ${parameters.maxConfidenceRatio}`, {
        ratio,
        maxConfidenceRatio: parameters.maxConfidenceRatio,
        source,
      });
  }
  return price;
}

function seconds(value: bigint | number, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new InvalidInputError(`expected whole seconds, got ${value}`, { field });
  return BigInt(value);
}
