import { catchError } from '../../test-utils/catchError';
import { parseDecimal } from '../money/fixed';
import { conservativePrice } from './conservativePrice';
import { LowConfidenceError } from './errors';

describe('conservativePrice', () => {
  const price = { price: parseDecimal('2000'), timestamp: 1n, confidence: parseDecimal('1.5') };

  it('lowers the price by k confidence intervals', () => {
    expect(conservativePrice(price, parseDecimal('2')).price).toBe(parseDecimal('1997'));
    expect(conservativePrice(price, 0n).price).toBe(parseDecimal('2000'));
    expect(conservativePrice({ price: parseDecimal('5'), timestamp: 1n }, parseDecimal('3')).price).toBe(parseDecimal('5'));
  });

  it('refuses when the interval swallows the price', () => {
    expect(() => conservativePrice(price, parseDecimal('1334'))).toThrow(LowConfidenceError);
    expect(catchError(() => conservativePrice(price, parseDecimal('1334')))).toEqual(expect.objectContaining({ reason: 'low-confidence' }));
  });
});
