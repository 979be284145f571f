import fc from 'fast-check';
import { parseDecimal as d, ONE } from '../money/fixed';
import type { AssetRiskConfig } from '../valuation/config';
import { priceMarket } from '../valuation/priceMarket';
import type { Account } from './account';
import { accountHealth } from './accountHealth';
import { maxWithdrawable } from './maxWithdrawable';

const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n };
const configs: Record<string, AssetRiskConfig> = {
  ETH: { symbol: 'ETH', decimals: 18, haircut: 0n, ltv: d('0.75'), liquidationThreshold: d('0.8'), liquidationBonus: d('0.05'), oracle },
  USDC: { symbol: 'USDC', decimals: 6, haircut: d('0.01'), ltv: d('0.8'), liquidationThreshold: d('0.85'), liquidationBonus: d('0.05'), oracle },
  BTC: {
    symbol: 'BTC', decimals: 8, haircut: d('0.1'), ltv: d('0.7'), liquidationThreshold: d('0.75'), liquidationBonus: d('0.05'), oracle,
    tiers: [{ upTo: d('100000'), weight: ONE }, { upTo: null, weight: d('0.8') }],
  },
};
const market = priceMarket({
  configs,
  prices: { ETH: { price: d('2000'), timestamp: now }, USDC: { price: d('1'), timestamp: now }, BTC: { price: d('30000'), timestamp: now } },
  now,
});

describe('maxWithdrawable', () => {
  const account: Account = { id: 'a', positions: [{ asset: 'ETH', chain: 'ethereum', amount: d('5') }], debt: d('6000') };

  it('10,000 USD of ETH at lt 0.8 against 6,000 debt: 1.25 ETH keeps HF ≥ 1', () => {
    expect(maxWithdrawable(account, market, { asset: 'ETH', minHealth: ONE })).toBe(d('1.25'));
    expect(maxWithdrawable(account, market, { asset: 'ETH', minHealth: d('1.2') })).toBe(d('0.5'));
    // with initial weights: 7,500 · … 6,000 / 0.75 = 8,000 USD must stay → 1 ETH
    expect(maxWithdrawable(account, market, { asset: 'ETH', minHealth: ONE, weight: 'initial' })).toBe(d('1'));
  });

  it('all without debt, nothing when already below the threshold or not held', () => {
    expect(maxWithdrawable({ ...account, debt: 0n }, market, { asset: 'ETH', minHealth: ONE })).toBe(d('5'));
    expect(maxWithdrawable({ ...account, debt: d('9000') }, market, { asset: 'ETH', minHealth: ONE })).toBe(0n);
    expect(maxWithdrawable(account, market, { asset: 'USDC', minHealth: ONE })).toBe(0n);
  });

  it('from one chain, in that chain’s decimals', () => {
    const multi: Account = {
      id: 'm',
      positions: [
        { asset: 'USDC', chain: 'ethereum', amount: 3_000_000_000n },
        { asset: 'USDC', chain: 'bsc', amount: d('3000'), decimals: 18 },
      ],
      debt: d('2000'),
    };
    // 2,000 / 0.85 / 0.99 = 2,376.7082590612… USDC must stay → 6,000 − that = 3,623.291740 (6 dp, down)
    const all = maxWithdrawable(multi, market, { asset: 'USDC', minHealth: ONE });
    expect(all).toBe(3_623_291_740n);
    expect(maxWithdrawable(multi, market, { asset: 'USDC', chain: 'ethereum', minHealth: ONE })).toBe(3_000_000_000n);
    const fromBsc = maxWithdrawable(multi, market, { asset: 'USDC', chain: 'bsc', minHealth: ONE });
    expect(fromBsc).toBe(d('3000'));
  });

  it('property: the result keeps HF ≥ minHealth and one more unit would not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ETH', 'BTC', 'USDC'),
        fc.bigInt({ min: 0n, max: 10n ** 22n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: d('100000') }),
        fc.bigInt({ min: d('1'), max: d('2') }),
        (asset, ethAmount, btcAmount, debt, minHealth) => {
          const acc: Account = {
            id: 'p',
            positions: [{ asset: 'ETH', chain: 'ethereum', amount: ethAmount }, { asset: 'BTC', chain: 'ethereum', amount: btcAmount }],
            debt,
          };
          const held = asset === 'ETH' ? ethAmount : asset === 'BTC' ? btcAmount : 0n;
          const w = maxWithdrawable(acc, market, { asset, minHealth });
          expect(w >= 0n && w <= held).toBe(true);
          const after = (x: bigint) =>
            accountHealth({ ...acc, positions: acc.positions.map((p) => (p.asset === asset ? { ...p, amount: p.amount - x } : p)) }, market);
          // HF = floor(Σ/debt) ≥ minHealth exactly when Σ ≥ minHealth · debt, so HF comparisons are exact here.
          if (accountHealth(acc, market).healthFactor < minHealth) {
            expect(w).toBe(0n);
            return;
          }
          expect(after(w).healthFactor >= minHealth).toBe(true);
          if (w < held) expect(after(w + 1n).healthFactor < minHealth).toBe(true);
        },
      ),
    );
  });
});
