import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { parseDecimal as d, ONE } from '../money/fixed';
import { LowConfidenceError, StalePriceError } from '../oracle/errors';
import type { AssetRiskConfig } from './config';
import { valueCollateral } from './valueCollateral';
import { btcBinance } from '../../test-utils/btcBinance';

const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n };
const usdtBitget: AssetRiskConfig = {
  symbol: 'USDT',
  decimals: 6,
  haircut: 0n,
  ltv: d('0.8'),
  liquidationThreshold: d('0.85'),
  liquidationBonus: d('0.05'),
  tiers: [
    { upTo: d('5000000'), weight: d('1') },
    { upTo: d('10000000'), weight: d('0.98') },
    { upTo: null, weight: d('0.975') },
  ],
  oracle,
};
const eth: AssetRiskConfig = { symbol: 'ETH', decimals: 18, haircut: d('0.2'), ltv: d('0.8'), liquidationThreshold: d('0.83'), liquidationBonus: d('0.05'), oracle };
const price = (p: string, extra: { confidence?: bigint; timestamp?: bigint } = {}) => ({ price: d(p), timestamp: extra.timestamp ?? now - 10n, ...extra });

describe('valueCollateral', () => {
  it('Binance BTC tiers: 6,000 BTC at 20,000 = 120M → 119,500,000 (docs/risk-model.md §3)', () => {
    const v = valueCollateral({ amount: 6_000n * 10n ** 8n, decimals: 8, price: price('20000'), config: btcBinance, now });
    expect(v.grossValue).toBe(d('120000000'));
    expect(v.haircutValue).toBe(d('119500000'));
    expect(v.sizeWeight).toBe(995_833_333_333_333_333n); // 119.5 / 120, rounded down
    expect(v.tiers.map((t) => [t.value, t.weightedValue])).toEqual([
      [d('100000000'), d('100000000')],
      [d('20000000'), d('19500000')],
    ]);
  });

  it('Bitget USDT tiers: 11M → 10,875,000 (docs/risk-model.md §3)', () => {
    const v = valueCollateral({ amount: 11_000_000n * 10n ** 6n, decimals: 6, price: price('1'), config: usdtBitget, now });
    expect(v.haircutValue).toBe(d('10875000'));
    expect(v.tiers).toHaveLength(3);
  });

  it('values above a finite last tier bound at weight 0', () => {
    const v = valueCollateral({ amount: 11_000n * 10n ** 8n, decimals: 8, price: price('20000'), config: btcBinance, now }); // 220M
    // 100 + 19.5 + 28.5 + 27 + 17 = 192M
    expect(v.haircutValue).toBe(d('192000000'));
    expect(v.tiers.at(-1)).toMatchObject({ from: d('200000000'), to: null, weight: 0n, value: d('20000000'), weightedValue: 0n });
  });

  it('static haircuts of the seed: 100 USD of stablecoin at 1% → 99, of ETH at 20% → 80', () => {
    const usdc = { ...eth, symbol: 'USDC', decimals: 6, haircut: d('0.01') };
    expect(valueCollateral({ amount: 100_000_000n, decimals: 6, price: price('1'), config: usdc, now }).haircutValue).toBe(d('99'));
    expect(valueCollateral({ amount: d('0.05'), decimals: 18, price: price('2000'), config: eth, now }).haircutValue).toBe(d('80'));
  });

  it('rounds the credited value down', () => {
    // 3 wei at 0.333…3 USD/ETH is 0.999…9e-18 USD: below one unit, so 0.
    const v = valueCollateral({ amount: 3n, decimals: 18, price: { price: d('0.333333333333333333'), timestamp: now }, config: eth, now });
    expect(v.grossValue).toBe(0n); // 3 · 0.333…e-18 < 1e-18
    const w = valueCollateral({ amount: 10n ** 18n, decimals: 18, price: { price: 7n, timestamp: now }, config: eth, now });
    expect(w.haircutValue).toBe(5n); // 7 · 0.8 = 5.6 → 5
  });

  it('applies max(static, volatility) haircut, the volatility one rounded up', () => {
    const volatile = { ...eth, volatility: { annualVol: 0.8, horizonDays: 1, z: 2.326 } };
    const v = valueCollateral({ amount: 10n ** 18n, decimals: 18, price: price('2000'), config: volatile, now });
    expect(v.haircut).toBe(d('0.2')); // h_vol ≈ 0.0928 < 0.2
    const wild = { ...eth, volatility: { annualVol: 1.5, horizonDays: 7, z: 2.326 } }; // 1 − e^(−0.4838…) ≈ 0.3836
    const w = valueCollateral({ amount: 10n ** 18n, decimals: 18, price: price('2000'), config: wild, now });
    expect(w.haircut).toBe(w.volatilityHaircut);
    const exact = 1 - Math.exp(-2.326 * 1.5 * Math.sqrt(7 / 365));
    expect(Math.abs(Number(w.haircut) / 1e18 - exact)).toBeLessThan(1e-12);
    expect(w.haircutValue).toBe((d('2000') * (ONE - w.haircut)) / ONE);
  });

  it('values at price − k · confidence', () => {
    const conf = { ...eth, oracle: { ...oracle, confidenceK: d('2') } };
    const v = valueCollateral({ amount: 10n ** 18n, decimals: 18, price: price('2000', { confidence: d('5') }), config: conf, now });
    expect(v.price).toBe(d('1990'));
    expect(v.oraclePrice).toBe(d('2000'));
    expect(v.haircutValue).toBe(d('1592'));
    expect(() => valueCollateral({ amount: 1n, decimals: 18, price: price('2000', { confidence: d('1000') }), config: conf, now })).toThrow(
      LowConfidenceError,
    );
  });

  it('refuses a stale price with the asset’s own heartbeat', () => {
    expect(() => valueCollateral({ amount: 1n, decimals: 18, price: price('2000', { timestamp: now - 3601n }), config: eth, now })).toThrow(
      StalePriceError,
    );
  });

  it('refuses an invalid config, naming the field', () => {
    expect(catchError(() => valueCollateral({ amount: 1n, decimals: 18, price: price('2000'), config: { ...eth, haircut: d('1.1') }, now }))).toEqual(
      expect.objectContaining({ field: 'config.haircut' }),
    );
  });

  it('property: value is monotone in price and amount; haircut ∈ [0,1]; haircutValue ≤ gross', () => {
    const configs = [btcBinance, usdtBitget, eth, { ...eth, volatility: { annualVol: 3, horizonDays: 30, z: 3 } }];
    fc.assert(
      fc.property(
        fc.constantFrom(...configs),
        fc.bigInt({ min: 0n, max: 10n ** 28n }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 28n }),
        (config, amount, p, dp, da) => {
          const at = (a: bigint, q: bigint) => valueCollateral({ amount: a, decimals: config.decimals, price: { price: q, timestamp: now }, config, now });
          const base = at(amount, p);
          expect(base.haircut >= 0n && base.haircut <= ONE).toBe(true);
          expect(base.sizeWeight >= 0n && base.sizeWeight <= ONE).toBe(true);
          expect(base.haircutValue <= base.grossValue).toBe(true);
          expect(at(amount, p + dp).haircutValue >= base.haircutValue).toBe(true);
          expect(at(amount + da, p).haircutValue >= base.haircutValue).toBe(true);
        },
      ),
    );
  });
});
