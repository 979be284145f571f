import { catchError } from '../../test-utils/catchError';
import { parseDecimal } from '../money/fixed';
import { MissingPriceError, PriceDeviationError } from './errors';
import { medianPrice } from './medianPrice';

const p = (price: string, timestamp = 100n, source = price) => ({ price: parseDecimal(price), timestamp, source });
const onePercent = parseDecimal('0.01');

describe('medianPrice', () => {
  it('takes the middle of an odd number of sources', () => {
    const m = medianPrice([p('2001'), p('1999', 90n), p('2000')], { maxDeviation: onePercent });
    expect(m.price).toBe(parseDecimal('2000'));
    expect(m.timestamp).toBe(90n); // the oldest source
  });

  it('takes the mean of the two middle prices of an even number of sources', () => {
    expect(medianPrice([p('1'), p('1.004'), p('1.002'), p('0.999')], { maxDeviation: onePercent }).price).toBe(parseDecimal('1.001'));
  });

  it('refuses when any source deviates from the median beyond the bound', () => {
    // A thin market printing a price 6,000× too low is caught.
    expect(() => medianPrice([p('2000'), p('2001'), p('0.333')], { maxDeviation: onePercent })).toThrow(PriceDeviationError);
    expect(catchError(() => medianPrice([p('100'), p('101.01')], { maxDeviation: parseDecimal('0.005') }))).toEqual(
      expect.objectContaining({ reason: 'price-deviation' }),
    );
    // exactly at the bound is allowed
    expect(medianPrice([p('99'), p('100'), p('101')], { maxDeviation: onePercent }).price).toBe(parseDecimal('100'));
  });

  it('keeps the widest confidence', () => {
    const m = medianPrice(
      [
        { ...p('100'), confidence: parseDecimal('0.1') },
        { ...p('100'), confidence: parseDecimal('0.3') },
      ],
      { maxDeviation: onePercent },
    );
    expect(m.confidence).toBe(parseDecimal('0.3'));
  });

  it('refuses an empty or too small set', () => {
    expect(() => medianPrice([], { maxDeviation: onePercent })).toThrow(MissingPriceError);
    expect(catchError(() => medianPrice([p('1')], { maxDeviation: onePercent, minSources: 2 }))).toEqual(expect.objectContaining({ reason: 'no-price' }));
  });

  it('a deviation error shows prices and bounds as decimals', () => {
    expect(catchError(() => medianPrice([p('100'), p('101.01')], { maxDeviation: parseDecimal('0.005') }))).toEqual(
      expect.objectContaining({
        shortMessage: 'price 100 of 100 deviates from the median 100.505 by 0.005024625640515398, more than 0.005',
        details: { median: '100.505', price: '100', deviation: '0.005024625640515398', maxDeviation: '0.005', source: '100' },
      }),
    );
  });
});
