import { InvalidInputError } from '../errors';
import { type Fixed, mulDiv, ONE } from '../money/fixed';
import { LowConfidenceError } from './errors';
import type { OraclePrice } from './price';

/**
 * The price to value collateral at: price − k · confidence (rounded down). A price without confidence is
 * returned unchanged. Throws LowConfidenceError when the result is not positive (the interval swallows the price).
 */
export function conservativePrice(price: OraclePrice, k: Fixed): OraclePrice {
  if (k < 0n) throw new InvalidInputError('confidence multiplier k must not be negative', { field: 'k', details: { k } });
  const confidence = price.confidence ?? 0n;
  if (confidence < 0n) throw new LowConfidenceError('confidence must not be negative', { confidence, source: price.source });
  const adjusted = price.price - mulDiv(k, confidence, ONE, 'up');
  if (adjusted <= 0n)
    throw new LowConfidenceError(`price − k·confidence is not positive (price ${price.price}, confidence ${confidence}, k ${k})`, {
      price: price.price,
      confidence,
      k,
      source: price.source,
    });
  return { ...price, price: adjusted };
}
