import { join } from '../fieldPath';
import { InvalidInputError } from '../errors';
import { type Fixed, formatDecimal, mulDiv, ONE } from '../money/fixed';
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
  /**
   * Where the price sits in the caller's input (`prices.ETH`), so a refusal names the field that was wrong:
   * `prices.ETH.timestamp` (stale, future), `prices.ETH.price` (not positive), `prices.ETH.confidence` (too wide).
   * Default: none.
   */
  field?: string | undefined;
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
  const { now, field } = parameters;
  const at = (key: string) => ({ field: field === undefined ? undefined : join(field, key) });
  const source = price.source;

  if (price.price <= 0n) throw new NonPositivePriceError({ price: price.price, source }, at('price'));
  if (price.timestamp > now + skew)
    throw new FutureTimestampError({ timestamp: price.timestamp, now, maxFutureSkewSeconds: skew, source }, at('timestamp'));
  const age = now - price.timestamp;
  if (age > heartbeat) throw new StalePriceError({ ageSeconds: age, heartbeatSeconds: heartbeat, timestamp: price.timestamp, now, source }, at('timestamp'));

  const confidence = price.confidence ?? 0n;
  if (confidence < 0n) throw new LowConfidenceError('confidence must not be negative', { confidence: formatDecimal(confidence), source }, at('confidence'));
  if (parameters.maxConfidenceRatio !== undefined) {
    const ratio = mulDiv(confidence, ONE, price.price, 'up');
    if (ratio > parameters.maxConfidenceRatio)
      throw new LowConfidenceError(
        `confidence is ${formatDecimal(ratio)} of the price, above the allowed ${formatDecimal(parameters.maxConfidenceRatio)}`,
        { ratio: formatDecimal(ratio), maxConfidenceRatio: formatDecimal(parameters.maxConfidenceRatio), source },
        at('confidence'),
      );
  }
  return price;
}

function seconds(value: bigint | number, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new InvalidInputError(`expected whole seconds, got ${value}`, { field });
  return BigInt(value);
}
