import fc from 'fast-check';
import { parseDecimal as d, ONE } from '../money/fixed';
import { OracleError } from '../oracle/errors';
import type { OraclePrice } from '../oracle/price';
import { buildCollateralKernel, collateralKernel, kernelValue } from './collateralKernel';
import type { AssetRiskConfig, SizeTier } from './config';
import { type PricedAsset, priceAsset, repriceAsset, valueCollateral, valuePosition } from './valueCollateral';
import { btcBinance } from '../../test-utils/btcBinance';

const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n };
const eth: AssetRiskConfig = {
  symbol: 'ETH',
  decimals: 18,
  haircut: d('0.05'),
  ltv: d('0.8'),
  liquidationThreshold: d('0.83'),
  liquidationBonus: d('0.05'),
  volatility: { annualVol: 0.8, horizonDays: 1, z: 2.3263478740408408 }, // Φ⁻¹(0.99)
  oracle: { ...oracle, confidenceK: d('2') },
};
const at = (price: string, confidence?: string): OraclePrice => ({
  price: d(price),
  timestamp: now,
  ...(confidence === undefined ? {} : { confidence: d(confidence) }),
});

/** The reference: what a credit message carries for this deposit. */
const reference = (config: AssetRiskConfig, price: OraclePrice, amount: bigint, decimals: number) =>
  valueCollateral({ amount, decimals, price, config, now }).haircutValue;

describe('collateralKernel', () => {
  it('Binance BTC tiers: 6,000 BTC at 20,000 → 119,500,000 (tier walk); 1 BTC stays in the first tier', () => {
    const kernel = collateralKernel(priceAsset(btcBinance, at('20000'), now), 8);
    expect(kernelValue(kernel, 6_000n * 10n ** 8n)).toBe(d('119500000'));
    expect(kernelValue(kernel, 10n ** 8n)).toBe(d('20000'));
    expect(kernel.firstTierMaxAmount).toBe(5_000n * 10n ** 8n); // 5,000 BTC = 100M USD, the first bound
  });

  it('an integer price needs no division for gross; an 8-decimal one for an 18-decimal token does', () => {
    const round = buildCollateralKernel(priceAsset(btcBinance, at('60000'), now), 8);
    expect([round.grossNum, round.grossDen]).toEqual([60_000n * 10n ** 10n, 1n]);
    const chainlink = buildCollateralKernel(priceAsset({ ...eth, oracle }, at('2000.12345678'), now), 18);
    expect(chainlink.grossDen).toBe(50_000_000n); // 10^18 / gcd(2000.12345678 · 10^18, 10^18) = 10^18 / (2 · 10^10)
    // 1 ETH at 1990 after k · confidence, h = max(5%, h_vol 0.092819000519460710): the README's worked example
    const priced = priceAsset(eth, at('2000', '5'), now);
    expect(priced.haircut).toBe(d('0.09281900051946071'));
    expect(kernelValue(collateralKernel(priced, 18), 10n ** 18n)).toBe(d('1805.2901889662731871')); // floor(1990 · (1 − h))
  });

  it('is built once per priced asset and decimals, and again for a repriced asset', () => {
    const priced = priceAsset(btcBinance, at('20000'), now);
    expect(collateralKernel(priced, 8)).toBe(collateralKernel(priced, 8));
    expect(collateralKernel(priced, 18)).not.toBe(collateralKernel(priced, 8));
    const crashed = repriceAsset(priced, d('10000'));
    expect(kernelValue(collateralKernel(crashed, 8), 10n ** 8n)).toBe(d('10000'));
    expect(kernelValue(collateralKernel(repriceAsset(priced, 0n), 8), 10n ** 30n)).toBe(0n);
  });

  it('refuses invalid decimals', () => {
    expect(() => buildCollateralKernel(priceAsset(btcBinance, at('1'), now), 78)).toThrow('decimals must be an integer in [0, 77]');
  });

  // Valid tier tables: bounds positive and strictly ascending, weights in [0, 1] non-increasing, maybe an open last tier.
  const tiers: fc.Arbitrary<SizeTier[]> = fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc
      .tuple(
        fc.uniqueArray(fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 9n }).map((x) => x * ONE)), {
          minLength: n,
          maxLength: n,
        }),
        fc.array(fc.oneof(fc.constant(ONE), fc.bigInt({ min: 0n, max: ONE })), { minLength: n, maxLength: n }),
        fc.boolean(),
      )
      .map(([bounds, weights, open]) => {
        const up = [...bounds].sort((a, b) => (a < b ? -1 : 1));
        const down = [...weights].sort((a, b) => (a > b ? -1 : 1));
        return up.map((upTo, i) => ({ upTo: open && i === n - 1 ? null : upTo, weight: down[i]! })); // i < n = down.length
      }),
  );
  const config: fc.Arbitrary<AssetRiskConfig> = fc.record(
    {
      decimals: fc.integer({ min: 0, max: 40 }),
      haircut: fc.oneof(fc.constantFrom(0n, ONE, d('0.1'), d('0.01')), fc.bigInt({ min: 0n, max: ONE })),
      volatility: fc.record({
        annualVol: fc.double({ min: 0, max: 3, noNaN: true }),
        horizonDays: fc.double({ min: 0.01, max: 30, noNaN: true }),
        z: fc.double({ min: 0, max: 4, noNaN: true }),
      }),
      tiers,
      confidenceK: fc.oneof(fc.constant(ONE), fc.bigInt({ min: 0n, max: 3n * ONE })),
    },
    { requiredKeys: ['decimals', 'haircut'] },
  ).map(({ confidenceK, ...c }) => ({
    symbol: 'X',
    ltv: d('0.5'),
    liquidationThreshold: d('0.6'),
    liquidationBonus: 0n,
    ...c,
    oracle: { heartbeatSeconds: 60n, ...(confidenceK === undefined ? {} : { confidenceK }) },
  }));
  const price = fc.oneof(
    fc.bigInt({ min: 1n, max: 10n ** 30n }), // any 18-decimal price
    fc.bigInt({ min: 1n, max: 10n ** 9n }).map((x) => x * ONE), // whole dollars
    fc.bigInt({ min: 1n, max: 10n ** 16n }).map((x) => x * 10n ** 10n), // 8-decimal oracle prices
  );
  const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 45n }), fc.bigInt({ min: 0n, max: 10n ** 12n }));

  it('property: equals valueCollateral bit for bit (prices, haircuts, confidence, tiers, decimals), at and around the first bound', () => {
    fc.assert(
      fc.property(config, price, fc.option(price, { nil: undefined }), amount, fc.integer({ min: 0, max: 6 }), (cfg, p, conf, a, extraDecimals) => {
        const oraclePrice: OraclePrice = { price: p, timestamp: now, ...(conf === undefined ? {} : { confidence: conf / 7n }) };
        let priced: PricedAsset;
        try {
          priced = priceAsset(cfg, oraclePrice, now);
        } catch (e) {
          if (e instanceof OracleError) return; // price − k · confidence ≤ 0: refused before any valuation
          throw e;
        }
        const decimals = cfg.decimals + extraDecimals; // a position may carry more decimals than the config
        const kernel = buildCollateralKernel(priced, decimals);
        const bound = kernel.firstTierMaxAmount;
        for (const x of [a, bound, bound + 1n, bound > 0n ? bound - 1n : 0n, bound * 2n + 1n])
          expect(kernelValue(kernel, x)).toBe(reference(cfg, oraclePrice, x, decimals));
        if (kernel.bounded) {
          // the first-tier shortcut covers exactly the amounts whose gross is within the first bound
          const firstBound = cfg.tiers?.[0]?.upTo;
          expect(valuePosition(priced, bound, decimals, false).grossValue <= firstBound!).toBe(true); // bounded ⇒ a finite first bound
          expect(valuePosition(priced, bound + 1n, decimals, false).grossValue > firstBound!).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: equals the reference at stress prices, 0 included (no oracle guard)', () => {
    fc.assert(
      fc.property(config, price, fc.bigInt({ min: 0n, max: 10n ** 24n }), amount, (cfg, p, stressed, a) => {
        const priced = repriceAsset(priceAsset({ ...cfg, oracle: { heartbeatSeconds: 60n } }, { price: p, timestamp: now }, now), stressed);
        expect(kernelValue(buildCollateralKernel(priced, cfg.decimals), a)).toBe(valuePosition(priced, a, cfg.decimals, false).haircutValue);
      }),
    );
  });
});
