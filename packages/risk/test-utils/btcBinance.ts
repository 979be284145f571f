import { parseDecimal as d } from '../src/money/fixed';
import type { AssetRiskConfig } from '../src/valuation/config';

/** BTC on Binance-style marginal tiers (docs/risk-model.md §3: 6,000 BTC at 20,000 → 119,500,000), no static haircut. */
export const btcBinance: AssetRiskConfig = {
  symbol: 'BTC',
  decimals: 8,
  haircut: 0n,
  ltv: d('0.7'),
  liquidationThreshold: d('0.75'),
  liquidationBonus: d('0.05'),
  tiers: [
    { upTo: d('100000000'), weight: d('1') },
    { upTo: d('120000000'), weight: d('0.975') },
    { upTo: d('150000000'), weight: d('0.95') },
    { upTo: d('180000000'), weight: d('0.9') },
    { upTo: d('200000000'), weight: d('0.85') },
  ],
  oracle: { heartbeatSeconds: 3600n },
};
