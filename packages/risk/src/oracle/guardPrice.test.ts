import { catchError } from '../../test-utils/catchError';
import { InvalidInputError, RiskError } from '../errors';
import { parseDecimal } from '../money/fixed';
import { FutureTimestampError, LowConfidenceError, NonPositivePriceError, OracleError, StalePriceError } from './errors';
import { guardPrice } from './guardPrice';

const now = 1_700_000_000n;
const eth = { price: parseDecimal('2000'), timestamp: now - 30n, source: 'chainlink:ETH/USD' };

describe('guardPrice', () => {
  it('passes a fresh positive price through unchanged', () => {
    expect(guardPrice(eth, { heartbeatSeconds: 3600, now })).toBe(eth);
    // exactly at the heartbeat is still fresh
    expect(guardPrice({ ...eth, timestamp: now - 3600n }, { heartbeatSeconds: 3600n, now })).toBeDefined();
  });

  it('refuses a price older than its heartbeat, naming age and heartbeat', () => {
    const stale = { ...eth, timestamp: now - 3601n };
    expect(() => guardPrice(stale, { heartbeatSeconds: 3600, now })).toThrow(StalePriceError);
    try {
      guardPrice(stale, { heartbeatSeconds: 3600, now });
    } catch (e) {
      expect(e).toBeInstanceOf(OracleError);
      expect(e).toBeInstanceOf(RiskError);
      const err = e as StalePriceError; // asserted just above
      expect(err.reason).toBe('stale-price');
      expect(err.ageSeconds).toBe(3601n);
      expect(err.heartbeatSeconds).toBe(3600n);
      expect(err.toJSON()).toMatchObject({ error: 'StalePriceError', reason: 'stale-price', details: { ageSeconds: '3601' } });
    }
  });

  it('uses each feed its own heartbeat: the same age is fresh for one feed and stale for another', () => {
    const p = { ...eth, timestamp: now - 120n };
    expect(guardPrice(p, { heartbeatSeconds: 86_400, now })).toBe(p);
    expect(() => guardPrice(p, { heartbeatSeconds: 60, now })).toThrow(StalePriceError);
  });

  it('refuses zero and negative prices', () => {
    expect(() => guardPrice({ ...eth, price: 0n }, { heartbeatSeconds: 3600, now })).toThrow(NonPositivePriceError);
    expect(catchError(() => guardPrice({ ...eth, price: -1n }, { heartbeatSeconds: 3600, now }))).toEqual(expect.objectContaining({ reason: 'non-positive-price' }));
  });

  it('refuses future-dated prices beyond the skew', () => {
    expect(guardPrice({ ...eth, timestamp: now + 5n }, { heartbeatSeconds: 3600, now })).toBeDefined();
    expect(() => guardPrice({ ...eth, timestamp: now + 6n }, { heartbeatSeconds: 3600, now })).toThrow(FutureTimestampError);
    expect(catchError(() => guardPrice({ ...eth, timestamp: now + 1n }, { heartbeatSeconds: 3600, now, maxFutureSkewSeconds: 0 }))).toEqual(
      expect.objectContaining({ reason: 'future-price' }),
    );
  });

  it('refuses a confidence interval wider than the allowed ratio', () => {
    const p = { ...eth, confidence: parseDecimal('50') }; // 2.5%
    expect(guardPrice(p, { heartbeatSeconds: 3600, now, maxConfidenceRatio: parseDecimal('0.025') })).toBe(p);
    expect(() => guardPrice(p, { heartbeatSeconds: 3600, now, maxConfidenceRatio: parseDecimal('0.02') })).toThrow(LowConfidenceError);
  });

  it('refuses a non-positive heartbeat as bad configuration', () => {
    expect(() => guardPrice(eth, { heartbeatSeconds: 0, now })).toThrow(InvalidInputError);
    expect(() => guardPrice(eth, { heartbeatSeconds: 1.5, now })).toThrow(InvalidInputError);
  });
});
