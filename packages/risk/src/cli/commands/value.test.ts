import { catchError } from '../../../test-utils/catchError';
import { command } from './value';

const btc = {
  symbol: 'BTC',
  decimals: 8,
  haircut: '0',
  ltv: '0.7',
  liquidationThreshold: '0.75',
  liquidationBonus: '0.05',
  tiers: [
    { upTo: '100000000', weight: '1' },
    { upTo: '120000000', weight: '0.975' },
    { upTo: '150000000', weight: '0.95' },
    { upTo: '180000000', weight: '0.9' },
    { upTo: '200000000', weight: '0.85' },
  ],
  oracle: { heartbeatSeconds: 3600 },
};

describe('risk value', () => {
  it('values 6,000 BTC at 20,000 through the size tiers → 119,500,000', () => {
    const out = command.run({ config: btc, amount: '600000000000', price: { price: '20000', timestamp: 1700000000 }, now: 1700000030 });
    expect(out).toMatchObject({
      asset: 'BTC',
      grossValue: '120000000.000000',
      haircutValue: '119500000.000000',
      sizeWeight: '0.995833333333333333',
      haircut: '0.000000',
      priceTimestamp: 1700000000,
      tiers: [
        { from: '0.000000', to: '100000000.000000', weight: '1.000000', value: '100000000.000000', weightedValue: '100000000.000000' },
        { from: '100000000.000000', to: '120000000.000000', weight: '0.975000', value: '20000000.000000', weightedValue: '19500000.000000' },
      ],
    });
  });

  it('accepts a plain price with a timestamp, a volatility haircut from a confidence, and confidence k', () => {
    const eth = {
      symbol: 'ETH', decimals: 18, haircut: '0.05', ltv: '0.8', liquidationThreshold: '0.83', liquidationBonus: '0.05',
      volatility: { annualVol: 0.8, horizonDays: 1, confidence: 0.99 },
      oracle: { heartbeatSeconds: 3600, confidenceK: '2' },
    };
    const out = command.run({ config: eth, amount: '1000000000000000000', price: { price: '2000', timestamp: 100, confidence: '5' }, now: 110 }) as Record<string, unknown>; // valuationToJson's record
    expect(out['price']).toBe('1990.000000');
    expect(Number(out['volatilityHaircut'])).toBeCloseTo(1 - Math.exp(-2.3263478740408408 * 0.8 * Math.sqrt(1 / 365)), 12);
    expect(out['haircut']).toBe(out['volatilityHaircut']);
    const plain = command.run({ config: { ...eth, volatility: undefined }, amount: '1000000000000000000', price: '2000', timestamp: 100, now: 110 });
    expect(plain).toMatchObject({ oraclePrice: '2000.000000' });
  });

  it.each([
    [{ config: btc, amount: '-1', price: '1', timestamp: 1, now: 1 }, 'amount'],
    [{ config: btc, amount: '1.5', price: '1', timestamp: 1, now: 1 }, 'amount'],
    [{ config: btc, amount: '1', price: 'abc', timestamp: 1, now: 1 }, 'price'],
    [{ config: btc, amount: '1', price: '1', now: 1 }, 'timestamp'],
    [{ config: { ...btc, ltv: '0.8' }, amount: '1', price: '1', timestamp: 1, now: 1 }, 'config.ltv'],
    [{ config: { ...btc, tiers: [{ upTo: '5', weight: '1' }, { upTo: '4', weight: '1' }] }, amount: '1', price: '1', timestamp: 1, now: 1 }, 'config.tiers[1].upTo'],
    [{ config: { ...btc, oracle: {} }, amount: '1', price: '1', timestamp: 1, now: 1 }, 'config.oracle.heartbeatSeconds'],
    [{ config: btc, amount: '1', price: { price: '1' }, now: 1 }, 'price.timestamp'],
  ])('bad input %# → RiskError naming %s', (input, field) => {
    expect(catchError(() => command.run(input))).toEqual(expect.objectContaining({ field }));
  });

  it('refuses a stale price with reason stale-price', () => {
    expect(catchError(() => command.run({ config: btc, amount: '1', price: '20000', timestamp: 1000, now: 5000 }))).toEqual(
      expect.objectContaining({ name: 'StalePriceError', reason: 'stale-price' }),
    );
  });

  it('a refused price names the field the user wrote: price.timestamp, or the top-level timestamp', () => {
    expect(catchError(() => command.run({ config: btc, amount: '1', price: { price: '20000', timestamp: 1000 }, now: 5000 }))).toEqual(
      expect.objectContaining({ name: 'StalePriceError', field: 'price.timestamp' }),
    );
    expect(catchError(() => command.run({ config: btc, amount: '1', price: '20000', timestamp: 1000, now: 5000 }))).toEqual(
      expect.objectContaining({ name: 'StalePriceError', field: 'timestamp' }),
    );
    expect(catchError(() => command.run({ config: btc, amount: '1', price: '0', timestamp: 1000, now: 1000 }))).toEqual(
      expect.objectContaining({ name: 'NonPositivePriceError', field: 'price', shortMessage: 'price 0 of feed is not positive' }),
    );
  });

  it('a too-wide confidence names price.confidence, with ratios as decimals', () => {
    const config = { ...btc, oracle: { heartbeatSeconds: 3600, maxConfidenceRatio: '0.01' } };
    expect(catchError(() => command.run({ config, amount: '1', price: { price: '20000', timestamp: 1, confidence: '400' }, now: 1 }))).toEqual(
      expect.objectContaining({
        name: 'LowConfidenceError',
        field: 'price.confidence',
        shortMessage: 'confidence is 0.02 of the price, above the allowed 0.01',
        details: { ratio: '0.02', maxConfidenceRatio: '0.01', source: undefined },
      }),
    );
    const k = { ...btc, oracle: { heartbeatSeconds: 3600, confidenceK: '3' } };
    expect(catchError(() => command.run({ config: k, amount: '1', price: { price: '20000', timestamp: 1, confidence: '7000' }, now: 1 }))).toEqual(
      expect.objectContaining({ field: 'price.confidence', shortMessage: 'price − k·confidence is not positive (price 20000, confidence 7000, k 3)' }),
    );
  });

  it('a tier error shows the bounds as written', () => {
    const tiers = [{ upTo: '5.5', weight: '1' }, { upTo: '4', weight: '0.9' }];
    expect(catchError(() => command.run({ config: { ...btc, tiers }, amount: '1', price: '1', timestamp: 1, now: 1 }))).toEqual(
      expect.objectContaining({ field: 'config.tiers[1].upTo', details: { upTo: '4', previous: '5.5' } }),
    );
  });
});
