import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { RiskError } from '../errors';
import { parseDecimal as d, ONE } from '../money/fixed';
import { MissingPriceError, StalePriceError } from '../oracle/errors';
import type { AssetRiskConfig } from '../valuation/config';
import { priceMarket } from '../valuation/priceMarket';
import type { Account } from './account';
import { type AccountHealth, accountHealth, INFINITE_HEALTH_FACTOR, isLiquidatable } from './accountHealth';

const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n };
const configs: Record<string, AssetRiskConfig> = {
  ETH: { symbol: 'ETH', decimals: 18, haircut: 0n, ltv: d('0.75'), liquidationThreshold: d('0.8'), liquidationBonus: d('0.05'), oracle },
  USDC: { symbol: 'USDC', decimals: 6, haircut: d('0.01'), ltv: d('0.8'), liquidationThreshold: d('0.85'), liquidationBonus: d('0.05'), oracle: { heartbeatSeconds: 86_400n } },
  BTC: {
    symbol: 'BTC', decimals: 8, haircut: 0n, ltv: d('0.7'), liquidationThreshold: d('0.75'), liquidationBonus: d('0.05'), oracle,
    tiers: [{ upTo: d('1000000'), weight: ONE }, { upTo: null, weight: d('0.5') }],
  },
};
const prices = {
  ETH: { price: d('2000'), timestamp: now - 60n },
  USDC: { price: d('1'), timestamp: now - 3000n },
  BTC: { price: d('50000'), timestamp: now - 60n },
};
const market = priceMarket({ configs, prices, now });
const eth = (amount: string, chain = 'ethereum') => ({ asset: 'ETH', chain, amount: d(amount) });

/** Mostly `usual`, now and then `odd` (so that one odd position does not make nearly every account throw). */
function rarely<T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: usual, weight: 30 }, { arbitrary: odd, weight: 1 });
}

describe('accountHealth', () => {
  it('Aave example: 10,000 USD of ETH at lt 0.80 against 6,000 debt → HF 1.333… (docs/risk-model.md §4)', () => {
    const h = accountHealth({ id: 'a', positions: [eth('5')], debt: d('6000') }, market);
    expect(h.collateralValue).toBe(d('10000'));
    expect(h.healthFactor).toBe(1_333_333_333_333_333_333n); // rounded down
    expect(h.maintenanceValue).toBe(d('8000'));
    expect(h.freeMargin).toBe(d('1500')); // 10,000 · 0.75 − 6,000
    expect(h.liquidatable).toBe(false);
  });

  it('HF < 1 is liquidatable; exactly 1 is not', () => {
    expect(isLiquidatable({ id: 'a', positions: [eth('5')], debt: d('8000') }, market)).toBe(false);
    expect(isLiquidatable({ id: 'a', positions: [eth('5')], debt: d('8000.000000000000000001') }, market)).toBe(true);
    const h = accountHealth({ id: 'a', positions: [eth('5')], debt: d('9000') }, market);
    expect(h.healthFactor).toBe(888_888_888_888_888_888n);
    expect(h.freeMargin).toBe(d('-1500'));
  });

  it('no debt → explicit infinite health factor', () => {
    const h = accountHealth({ id: 'a', positions: [eth('1')], debt: 0n }, market);
    expect(h.healthFactor).toBe(INFINITE_HEALTH_FACTOR);
    expect(h.liquidatable).toBe(false);
    expect(accountHealth({ id: 'empty', positions: [], debt: 0n }, market).healthFactor).toBe(INFINITE_HEALTH_FACTOR);
    expect(accountHealth({ id: 'empty', positions: [], debt: 1n }, market).liquidatable).toBe(true);
  });

  it('sums one asset across chains with different token decimals (USDC: 6 on Ethereum, 18 on BSC)', () => {
    const h = accountHealth(
      {
        id: 'a',
        positions: [
          { asset: 'USDC', chain: 'ethereum', amount: 1_000_000_000n },
          { asset: 'USDC', chain: 'bsc', amount: d('1000'), decimals: 18 },
          eth('1', 'arbitrum'),
        ],
        debt: d('1000'),
      },
      market,
    );
    const usdc = h.holdings.find((x) => x.asset === 'USDC')!;
    expect(usdc.valuation.decimals).toBe(18);
    expect(usdc.valuation.haircutValue).toBe(d('1980'));
    expect(h.collateralValue).toBe(d('3980'));
    // (1980 · 0.85 + 2000 · 0.8) / 1000
    expect(h.healthFactor).toBe(d('3.283'));
  });

  it('applies size tiers to the whole holding: splitting it over chains does not raise its value', () => {
    const one = accountHealth({ id: 'a', positions: [{ asset: 'BTC', chain: 'ethereum', amount: 40n * 10n ** 8n }], debt: 1n }, market);
    const split = accountHealth(
      { id: 'a', positions: [{ asset: 'BTC', chain: 'ethereum', amount: 20n * 10n ** 8n }, { asset: 'BTC', chain: 'base', amount: 20n * 10n ** 8n }], debt: 1n },
      market,
    );
    expect(one.collateralValue).toBe(d('1500000')); // 1M + 1M · 0.5
    expect(split.collateralValue).toBe(one.collateralValue);
  });

  it('a refused price blocks only the accounts that hold the asset', () => {
    const stale = priceMarket({ configs, prices: { ...prices, ETH: { price: d('2000'), timestamp: now - 7200n } }, now });
    expect(stale.refused.get('ETH')).toBeInstanceOf(StalePriceError);
    expect(accountHealth({ id: 'u', positions: [{ asset: 'USDC', chain: 'ethereum', amount: 1n }], debt: 0n }, stale).collateralValue).toBe(d('0.00000099'));
    expect(() => accountHealth({ id: 'e', positions: [eth('1')], debt: 0n }, stale)).toThrow(StalePriceError);
    expect(() => accountHealth({ id: 'x', positions: [{ asset: 'SOL', chain: 'solana', amount: 1n }], debt: 0n }, market)).toThrow(MissingPriceError);
  });

  it('refuses negative debt and amounts', () => {
    expect(() => accountHealth({ id: 'a', positions: [], debt: -1n }, market)).toThrow('debt must not be negative');
    expect(catchError(() => accountHealth({ id: 'a', positions: [{ ...eth('1'), amount: -1n }], debt: 0n }, market))).toEqual(
      expect.objectContaining({ field: 'positions[0].amount' }),
    );
  });

  const position = fc.record({
    asset: fc.constantFrom('ETH', 'USDC', 'BTC'),
    chain: fc.constantFrom('ethereum', 'arbitrum'),
    amount: fc.bigInt({ min: 0n, max: 10n ** 26n }),
  });

  it('property: more collateral never lowers health', () => {
    fc.assert(
      fc.property(fc.array(position, { maxLength: 5 }), position, fc.bigInt({ min: 1n, max: 10n ** 30n }), (positions, extra, debt) => {
        const account: Account = { id: 'p', positions, debt };
        const before = accountHealth(account, market);
        const after = accountHealth({ ...account, positions: [...positions, extra] }, market);
        expect(after.healthFactor >= before.healthFactor).toBe(true);
        expect(after.freeMargin >= before.freeMargin).toBe(true);
        expect(after.collateralValue >= before.collateralValue).toBe(true);
      }),
    );
  });

  it('property: without the breakdown (kernels, quick path) the figures and errors equal the valued breakdown', () => {
    // The figures without holdings, or the error thrown (its class, message and field).
    const outcome = (f: () => AccountHealth) => {
      try {
        return { ...f(), holdings: [] };
      } catch (e) {
        if (!(e instanceof RiskError)) throw e;
        return { error: e.name, message: e.message, field: e.field };
      }
    };
    const any = fc.record(
      {
        asset: rarely(fc.constantFrom('ETH', 'USDC', 'BTC'), fc.constant('SOL')), // SOL has no price
        chain: fc.constantFrom('ethereum', 'arbitrum', 'bsc'),
        amount: rarely(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 9n })), fc.constant(-1n)),
        decimals: rarely(fc.oneof(fc.constantFrom(6, 8, 18), fc.integer({ min: 0, max: 30 })), fc.constant(78)),
      },
      { requiredKeys: ['asset', 'chain', 'amount'] },
    );
    const stale = priceMarket({ configs, prices: { ...prices, BTC: { price: d('50000'), timestamp: now - 7200n } }, now });
    fc.assert(
      fc.property(
        fc.array(any, { maxLength: 6 }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        rarely(fc.constant(false), fc.constant(true)),
        (positions, debt, refused) => {
          const account: Account = { id: 'q', positions, debt };
          const m = refused ? stale : market;
          expect(outcome(() => accountHealth(account, m, false))).toEqual(outcome(() => accountHealth(account, m, true)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: health is monotone in prices', () => {
    fc.assert(
      fc.property(fc.array(position, { maxLength: 5 }), fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.bigInt({ min: 0n, max: 10n ** 24n }), (positions, p, dp) => {
        const at = (ethPrice: bigint) => priceMarket({ configs, prices: { ...prices, ETH: { price: ethPrice, timestamp: now } }, now });
        const account: Account = { id: 'p', positions, debt: d('1000') };
        expect(accountHealth(account, at(p + dp)).healthFactor >= accountHealth(account, at(p)).healthFactor).toBe(true);
      }),
    );
  });
});
