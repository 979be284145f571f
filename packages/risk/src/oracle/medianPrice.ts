import { InvalidInputError } from '../errors';
import { abs, divRound, type Fixed, mulDiv, ONE } from '../money/fixed';
import { MissingPriceError, NonPositivePriceError, PriceDeviationError } from './errors';
import type { OraclePrice } from './price';

export type MedianPriceParameters = {
  /** Largest allowed |source − median| / median (Fixed, e.g. 0.01 = 1%). */
  maxDeviation: Fixed;
  /** Fewest sources required. Default 1. */
  minSources?: number | undefined;
};

/**
 * The median of several sources (each already guarded with its own feed's heartbeat): odd count → the middle
 * price, even count → the mean of the two middle prices (rounded down). Throws PriceDeviationError when any
 * source deviates from the median by more than `maxDeviation`, MissingPriceError when there are too few.
 * The result carries the oldest timestamp and the widest confidence of the sources (the conservative ones).
 */
export function medianPrice(sources: readonly OraclePrice[], parameters: MedianPriceParameters): OraclePrice {
  const minSources = parameters.minSources ?? 1;
  if (parameters.maxDeviation < 0n) throw new InvalidInputError('maxDeviation must not be negative', { field: 'maxDeviation' });
  if (sources.length === 0 || sources.length < minSources) throw new MissingPriceError({ sources: sources.length });

  const sorted = [...sources].sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0));
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? sorted[mid]!.price : divRound(sorted[mid - 1]!.price + sorted[mid]!.price, 2n, 'down');

  if (median <= 0n) throw new NonPositivePriceError({ price: median, source: 'median' });
  for (const source of sources) {
    const deviation = mulDiv(abs(source.price - median), ONE, median, 'up');
    if (deviation > parameters.maxDeviation)
      throw new PriceDeviationError({ median, price: source.price, deviation, maxDeviation: parameters.maxDeviation, source: source.source });
  }

  let timestamp = sources[0]!.timestamp;
  let confidence: Fixed | undefined;
  for (const source of sources) {
    if (source.timestamp < timestamp) timestamp = source.timestamp;
    if (source.confidence !== undefined && (confidence === undefined || source.confidence > confidence)) confidence = source.confidence;
  }
  const names = sources.map((s) => s.source ?? '?').join(',');
  return confidence === undefined ? { price: median, timestamp, source: `median(${names})` } : { price: median, timestamp, confidence, source: `median(${names})` };
}
