/**
 * Re-value the collateral of 100,000 accounts (3 positions each, over 3 chains) on one price tick:
 * price the market once (guard, confidence, haircut), then the health of every account.
 * Run: `pnpm bench:risk` (all) or `npx tsx packages/risk/bench/valuation.ts`.
 */
import { performance } from 'node:perf_hooks';
import { accountHealth, type Account } from '../src/health';
import { parseDecimal as d } from '../src/money/fixed';
import { type AssetRiskConfig, priceMarket } from '../src/valuation';

export type BenchRow = { bench: string; metric: string; value: string };

const ACCOUNTS = 100_000;
const TICKS = 5;
const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n, confidenceK: d('1') };
const configs: Record<string, AssetRiskConfig> = {
  ETH: { symbol: 'ETH', decimals: 18, haircut: d('0.1'), ltv: d('0.8'), liquidationThreshold: d('0.83'), liquidationBonus: d('0.05'), oracle, volatility: { annualVol: 0.8, horizonDays: 1, z: 2.33 } },
  BTC: {
    symbol: 'BTC', decimals: 8, haircut: d('0.1'), ltv: d('0.73'), liquidationThreshold: d('0.78'), liquidationBonus: d('0.05'), oracle,
    tiers: [{ upTo: d('100000000'), weight: d('1') }, { upTo: d('120000000'), weight: d('0.975') }, { upTo: null, weight: d('0.95') }],
  },
  USDC: { symbol: 'USDC', decimals: 6, haircut: d('0.01'), ltv: d('0.865'), liquidationThreshold: d('0.885'), liquidationBonus: d('0.05'), oracle },
};
const SYMBOLS = ['ETH', 'BTC', 'USDC'] as const;
const CHAINS = ['ethereum', 'arbitrum', 'base'] as const;

// Holdings up to ~20 ETH, ~1 BTC, ~50,000 USDC; debt up to 90% of a ~100k-USD account, so some are liquidatable.
const MAX_UNITS = { ETH: 20, BTC: 1, USDC: 50_000 } as const;

function book(): Account[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const accounts: Account[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const positions = SYMBOLS.map((asset, k) => {
      const decimals = configs[asset]!.decimals;
      // amount = units with 4 decimals of randomness, in base units
      return { asset, chain: CHAINS[k]!, amount: (BigInt(Math.floor(rand() * MAX_UNITS[asset] * 1e4)) * 10n ** BigInt(decimals)) / 10_000n };
    });
    accounts.push({ id: `a${i}`, positions, debt: BigInt(Math.floor(rand() * 90_000)) * 10n ** 18n });
  }
  return accounts;
}

type Prices = Parameters<typeof priceMarket>[0]['prices'];

/** Whole-dollar prices, moving by 1 USD per tick. */
function roundPrices(tick: number): Prices {
  return {
    ETH: { price: d('2000') + BigInt(tick) * 10n ** 18n, timestamp: now, confidence: d('1') },
    BTC: { price: d('60000') + BigInt(tick) * 10n ** 18n, timestamp: now, confidence: d('10') },
    USDC: { price: d('1'), timestamp: now },
  };
}

/** Prices and confidences with 8 decimals, as Chainlink feeds publish them (ETH's 18 decimals then need a division for gross). */
function oraclePrices(tick: number): Prices {
  return {
    ETH: { price: d('2000.12345678') + BigInt(tick) * 10n ** 10n, timestamp: now, confidence: d('1.23456789') },
    BTC: { price: d('60000.87654321') + BigInt(tick) * 10n ** 10n, timestamp: now, confidence: d('10.5') },
    USDC: { price: d('0.99991234'), timestamp: now },
  };
}

/** One tick: price the market, then the health of every account. */
function tick(accounts: readonly Account[], prices: Prices): { ms: number; liquidatable: number; total: bigint } {
  const t0 = performance.now();
  const market = priceMarket({ configs, prices, now });
  let liquidatable = 0;
  let total = 0n;
  for (const account of accounts) {
    const h = accountHealth(account, market, false);
    total += h.collateralValue;
    if (h.liquidatable) liquidatable++;
  }
  return { ms: performance.now() - t0, liquidatable, total };
}

const median = (times: readonly number[]) => [...times].sort((a, b) => a - b)[times.length >> 1]!; // times is non-empty
const perTick = (ms: number) => `${ms.toFixed(1)} ms per tick (${((ms * 1000) / ACCOUNTS).toFixed(2)} µs/account)`;

export function run(): BenchRow[] {
  const accounts = book();
  const rows: BenchRow[] = [];
  const times: number[] = [];
  for (let t = 0; t < TICKS; t++) {
    const { ms, liquidatable, total } = tick(accounts, roundPrices(t));
    times.push(ms);
    rows.push({
      bench: 'valuation',
      metric: `tick ${t + 1}: ${ACCOUNTS.toLocaleString('en-US')} accounts × 3 positions re-valued + HF`,
      value: `${ms.toFixed(1)} ms (${((ms * 1000) / ACCOUNTS).toFixed(2)} µs/account, ${liquidatable} liquidatable, Σ ${(total / 10n ** 18n).toLocaleString('en-US')} USD)`,
    });
  }
  rows.push({ bench: 'valuation', metric: `median of ${TICKS} ticks`, value: perTick(median(times)) });
  const oracleTimes = Array.from({ length: TICKS }, (_, t) => tick(accounts, oraclePrices(t)).ms);
  rows.push({ bench: 'valuation', metric: `median of ${TICKS} ticks at 8-decimal oracle prices`, value: perTick(median(oracleTimes)) });
  return rows;
}

if (require.main === module) console.table(run());
