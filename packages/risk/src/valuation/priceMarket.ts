import { join } from '../fieldPath';
import { InvalidInputError } from '../errors';
import { OracleError } from '../oracle/errors';
import type { OraclePrice } from '../oracle/price';
import type { AssetRiskConfig } from './config';
import { validateAssetRiskConfig } from './validateAssetRiskConfig';
import { priceAsset, type PricedAsset } from './valueCollateral';

/**
 * Every configured asset at one price tick: priced (guarded, confidence applied, haircut fixed) or refused with the
 * OracleError that refused it. A refused asset only blocks the accounts that hold it.
 */
export type PricedMarket = {
  readonly now: bigint;
  /** Every validated config, priced or not. */
  readonly configs: ReadonlyMap<string, AssetRiskConfig>;
  readonly assets: ReadonlyMap<string, PricedAsset>;
  readonly refused: ReadonlyMap<string, OracleError>;
};

export type PriceMarketParameters = {
  readonly configs: Readonly<Record<string, AssetRiskConfig>>;
  readonly prices: Readonly<Record<string, OraclePrice>>;
  readonly now: bigint;
};

/**
 * Validate every config (field `configs.<symbol>`) and price every asset that has a price, once per tick.
 * A refusal names the price's field (`prices.ETH.timestamp` for a stale ETH price).
 */
export function priceMarket({ configs, prices, now }: PriceMarketParameters): PricedMarket {
  const assets = new Map<string, PricedAsset>();
  const refused = new Map<string, OracleError>();
  const validated = new Map<string, AssetRiskConfig>();
  for (const [symbol, config] of Object.entries(configs)) {
    const field = join('configs', symbol);
    validateAssetRiskConfig(config, field);
    if (config.symbol !== symbol) throw new InvalidInputError(`config for ${symbol} has symbol ${config.symbol}`, { field: join(field, 'symbol') });
    validated.set(symbol, config);
    const price = prices[symbol];
    if (price === undefined) continue;
    try {
      assets.set(symbol, priceAsset(config, price, now, join('prices', symbol)));
    } catch (e) {
      if (!(e instanceof OracleError)) throw e;
      refused.set(symbol, e);
    }
  }
  return { now, configs: validated, assets, refused };
}

/** A copy of the market with some assets at other valuation prices (stress scenarios). */
export function withPrices(market: PricedMarket, prices: ReadonlyMap<string, PricedAsset>): PricedMarket {
  const assets = new Map(market.assets);
  const refused = new Map(market.refused);
  for (const [symbol, priced] of prices) {
    assets.set(symbol, priced);
    refused.delete(symbol);
  }
  return { now: market.now, configs: market.configs, assets, refused };
}
