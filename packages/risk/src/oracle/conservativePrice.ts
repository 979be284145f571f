import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { type Fixed, formatDecimal, mulDiv, ONE } from '../money/fixed';
import { LowConfidenceError } from './errors';
import type { OraclePrice } from './price';

/**
 * The price to value collateral at: price − k · confidence (rounded down). A price without confidence is
 * returned unchanged. Throws LowConfidenceError when the result is not positive (the interval swallows the price).
 * `field` is where the price sits in the caller's input (`prices.ETH`): a refusal then names `prices.ETH.confidence`.
 */
export function conservativePrice(price: OraclePrice, k: Fixed, field?: string): OraclePrice {
  if (k < 0n) throw new InvalidInputError('confidence multiplier k must not be negative', { field: 'k', details: { k: formatDecimal(k) } });
  const at = { field: field === undefined ? undefined : join(field, 'confidence') };
  const confidence = price.confidence ?? 0n;
  if (confidence < 0n) throw new LowConfidenceError('confidence must not be negative', { confidence: formatDecimal(confidence), source: price.source }, at);
  const adjusted = price.price - mulDiv(k, confidence, ONE, 'up');
  if (adjusted <= 0n) {
    const [p, c, kk] = [formatDecimal(price.price), formatDecimal(confidence), formatDecimal(k)];
    throw new LowConfidenceError(`price − k·confidence is not positive (price ${p}, confidence ${c}, k ${kk})`, { price: p, confidence: c, k: kk, source: price.source }, at);
  }
  return { ...price, price: adjusted };
}
